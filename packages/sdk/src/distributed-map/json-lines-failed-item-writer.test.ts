import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DistributedMapFailedItem } from "../types/distributed-map.js";
import { JsonLinesFailedItemWriter } from "./json-lines-failed-item-writer.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cairn-failed-items-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const failure = (item: number, partition: number, page: number): DistributedMapFailedItem => ({
  item,
  status: "FAILED",
  errorMessage: `item ${item} failed`,
  partition,
  page,
});

describe("JsonLinesFailedItemWriter", () => {
  it("writes one JSON line per item and reads them back in partition and page order", async () => {
    const writer = new JsonLinesFailedItemWriter(dir);
    const runId = "arn:cairn:local:execution/x/y#1";
    await writer.write({ runId, partition: 10, page: 0, items: [failure(9, 10, 0)] });
    await writer.write({ runId, partition: 2, page: 11, items: [failure(5, 2, 11)] });
    await writer.write({ runId, partition: 2, page: 3, items: [failure(1, 2, 3), failure(2, 2, 3)] });

    expect((await writer.read(runId)).map((f) => f.item)).toEqual([1, 2, 5, 9]);
    const [runDir] = readdirSync(dir);
    expect(runDir).not.toMatch(/[:/#]/);
    const file = readdirSync(join(dir, runDir as string)).find((name) => name.includes("page-000000003"));
    expect(readFileSync(join(dir, runDir as string, file as string), "utf8").trim().split("\n").map((l) => JSON.parse(l).item)).toEqual([1, 2]);
  });

  it("replaces a page written again (a crash before its step was checkpointed), never duplicating it", async () => {
    const writer = new JsonLinesFailedItemWriter(dir);
    await writer.write({ runId: "r", partition: 0, page: 0, items: [failure(1, 0, 0), failure(2, 0, 0)] });
    await writer.write({ runId: "r", partition: 0, page: 0, items: [failure(1, 0, 0), failure(2, 0, 0)] });
    expect((await writer.read("r")).map((f) => f.item)).toEqual([1, 2]);
    expect(readdirSync(join(dir, "r")).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("reads nothing for a run that wrote nothing, and refuses an empty directory", async () => {
    expect(await new JsonLinesFailedItemWriter(join(dir, "missing")).read("r")).toEqual([]);
    expect(() => new JsonLinesFailedItemWriter("")).toThrow(/pass the directory/);
  });
});
