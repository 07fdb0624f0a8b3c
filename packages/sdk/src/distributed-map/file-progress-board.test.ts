import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileProgressBoard } from "./file-progress-board.js";
import { MemoryProgressBoard } from "./memory-progress-board.js";

const counts = (succeeded: number, failed = 0) => ({ succeeded, failed, timedOut: 0, skipped: 0, pending: 0, total: succeeded + failed });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ["FileProgressBoard", () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-board-"));
    dirs.push(dir);
    return new FileProgressBoard(dir);
  }],
  ["MemoryProgressBoard", () => new MemoryProgressBoard()],
] as const)("%s", (_name, make) => {
  it("replaces a partition's counts, sums partitions, keeps runs apart and the first stop", async () => {
    const board = make();
    const run = "arn:aws:lambda:eu-west-1:1:function:f:$LATEST/durable-execution/x/y#1-2";
    expect(await board.read(run)).toEqual({ counts: counts(0) });
    await board.report(run, 0, counts(10));
    await board.report(run, 0, counts(20, 1));
    expect(await board.report(run, 3, counts(5))).toEqual({ counts: counts(25, 1) });
    await board.report("other", 0, counts(7));
    await board.stop(run, "MIN_SUCCESSFUL_REACHED");
    await board.stop(run, "FAILURE_TOLERANCE_EXCEEDED");
    expect(await board.read(run)).toEqual({ counts: counts(25, 1), stopped: "MIN_SUCCESSFUL_REACHED" });
    expect(await board.read("other")).toEqual({ counts: counts(7) });
    await board.forget(run);
    expect(await board.read(run)).toEqual({ counts: counts(0) });
    expect(await board.read("other")).toEqual({ counts: counts(7) });
    await board.forget("never-reported"); // nothing to remove is fine
  });
});

describe("FileProgressBoard files", () => {
  it("leaves no temporary file behind, whether the stop was first or not", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-board-"));
    dirs.push(dir);
    const board = new FileProgressBoard(dir);
    await Promise.all([board.stop("r", "FAILURE_TOLERANCE_EXCEEDED"), board.stop("r", "MIN_SUCCESSFUL_REACHED"), board.report("r", 1, counts(1))]);
    const [runDir] = readdirSync(dir);
    expect(readdirSync(join(dir, runDir!)).sort()).toEqual(["partition-1.json", "stop.json"]);
    expect(() => new FileProgressBoard("")).toThrow(/pass the directory/);
  });
});
