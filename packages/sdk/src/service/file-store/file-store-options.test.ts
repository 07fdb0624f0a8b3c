// The file store's options are checked when it is made, before anything is written: a setting read
// from an unset environment variable (an empty path, NaN) fails there, naming the option.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointService } from "../checkpoint-service.js";
import { FileExecutionStore } from "./file-store.js";

describe("FileExecutionStore options", () => {
  let parent: string;
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), "cairn-file-store-options-"));
  });
  afterEach(() => rm(parent, { recursive: true, force: true }));

  it("refuses an empty or missing directory", () => {
    expect(() => new FileExecutionStore("")).toThrow(/FileExecutionStore: directory must be a non-empty path \(got ""\)/);
    expect(() => new FileExecutionStore(undefined as unknown as string)).toThrow(/directory must be a non-empty path \(got undefined\)/);
  });

  it.each([
    ["NaN", Number.NaN],
    ["a negative number", -1],
    ["a string", "5000"],
  ])("refuses %s as lockTimeoutMs, and writes nothing", (_what, lockTimeoutMs) => {
    const directory = join(parent, "store");
    expect(() => new FileExecutionStore(directory, { lockTimeoutMs: lockTimeoutMs as number })).toThrow(
      /FileExecutionStore: lockTimeoutMs must be a number of milliseconds >= 0/,
    );
    expect(existsSync(directory)).toBe(false);
  });

  it("takes 0 and Infinity as lockTimeoutMs, and runs an execution with them", async () => {
    for (const lockTimeoutMs of [0, Number.POSITIVE_INFINITY]) {
      const service = new CheckpointService({ store: new FileExecutionStore(join(parent, String(lockTimeoutMs)), { lockTimeoutMs }) });
      const { executionArn } = await service.startExecution({ input: "{}" });
      expect((await service.getExecution(executionArn)).status).toBe("RUNNING");
    }
  });
});
