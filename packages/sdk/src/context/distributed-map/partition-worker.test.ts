import { describe, expect, it } from "vitest";
import { runLocal } from "../../test-support/run-local.js";
import { NestingType } from "../../types/batch.js";
import { defineDistributedMap } from "./definitions.js";
import { PARTITION_INPUT_KEY, type PartitionTask } from "./partition-input.js";

const handle = async (n: number, ctx: { step: (name: string, fn: () => Promise<number>) => PromiseLike<number> }) => ctx.step("double", async () => n * 2);
// Defined for the partition inputs below, which name them.
defineDistributedMap("worker-nested", { source: () => Array.from({ length: 200 }, (_, i) => i), itemHandler: handle, pageSize: 50 });
defineDistributedMap("worker-flat", {
  source: () => Array.from({ length: 200 }, (_, i) => i),
  itemHandler: handle,
  pageSize: 50,
  nesting: NestingType.FLAT,
});

const task = (map: string): PartitionTask => ({ map, runId: "r", partition: 0, partitionCount: 1, range: [0, 200], maxFailedItems: 5 });
const runPartition = (map: string) => runLocal(async () => "the handler must not run", { [PARTITION_INPUT_KEY]: task(map) });

describe("the partition worker", () => {
  it("reads its range page by page, one read step and one map per page", async () => {
    const run = await runPartition("worker-nested");
    expect(run.result).toMatchObject({ counts: { succeeded: 200, total: 200 }, pages: 4 });
    const top = run.operations.filter((op) => op.ParentId === undefined && op.Type !== "EXECUTION").map((op) => op.Name);
    expect(top).toEqual(["read-page-0", "page-0", "read-page-1", "page-1", "read-page-2", "page-2", "read-page-3", "page-3"]);
  });

  it("with nesting FLAT records only the items' own steps: about half the history", async () => {
    const nestedRun = await runPartition("worker-nested");
    const flatRun = await runPartition("worker-flat");
    expect(flatRun.result).toEqual(nestedRun.result);
    expect(nestedRun.operations.length).toBe(1 + 8 + 200 * 2);
    expect(flatRun.operations.length).toBe(1 + 8 + 200);
  });

  it("refuses FLAT with itemTimeout, naming both", () => {
    expect(() =>
      defineDistributedMap("worker-flat-timeout", { source: () => [], itemHandler: handle, nesting: NestingType.FLAT, itemTimeout: { seconds: 5 } }),
    ).toThrow(/nesting FLAT.*itemTimeout/);
  });
});
