import { describe, expect, it } from "vitest";
import { ValidationError } from "../../errors/validation-error.js";
import { runLocal } from "../../test-support/run-local.js";
import type { DistributedMapConfig } from "../../types/distributed-map.js";
import { defineDistributedMap } from "./definitions.js";
import { PARTITION_INPUT_KEY } from "./partition-input.js";

const squares = defineDistributedMap("validation-squares", {
  source: (params: { count: number }) => Array.from({ length: params.count }, (_, i) => i),
  itemHandler: async (n: number) => n * n,
});
const paged = defineDistributedMap("validation-paged", {
  source: () => async () => ({ items: [1, 2, 3] }),
  itemHandler: async (n: number) => n,
});

async function runWith(config: DistributedMapConfig<{ count: number }>, definition = squares) {
  const run = await runLocal(async (_event, ctx) => ctx.distributedMap(definition, config), {});
  return { status: run.execution.status, message: run.execution.error?.ErrorMessage ?? "", operations: run.operations.filter((op) => op.Type !== "EXECUTION").length };
}

const one = async (): Promise<number> => 1;
const none = async (): Promise<number[]> => [];

describe("defineDistributedMap validation", () => {
  it.each([
    ["a missing source", { itemHandler: one }, /source must be a function/],
    ["no handler", { source: () => [] }, /exactly one of itemHandler/],
    ["both handlers", { source: () => [], itemHandler: one, batchHandler: none }, /exactly one of itemHandler/],
    ["batchHandler without itemBatcher", { source: () => [], batchHandler: none }, /batchHandler needs itemBatcher/],
    ["a zero maxConcurrency", { source: () => [], itemHandler: one, maxConcurrency: 0 }, /maxConcurrency must be a whole number >= 1/],
    ["a fractional pageSize", { source: () => [], itemHandler: one, pageSize: 2.5 }, /pageSize must be a whole number/],
    ["a writer without write", { source: () => [], itemHandler: one, failedItemWriter: {} }, /failedItemWriter must have a write/],
    ["a fractional itemTimeout", { source: () => [], itemHandler: one, itemTimeout: { seconds: 1.5 } }, /itemTimeout must be a whole number of seconds, got 1\.5 s/],
    ["a zero itemTimeout", { source: () => [], itemHandler: one, itemTimeout: { seconds: 0 } }, /itemTimeout must be at least 1 second, got 0 s/],
    ["an itemTimeout that is not a Duration", { source: () => [], itemHandler: one, itemTimeout: 30 }, /itemTimeout must be a Duration object/],
    ["a zero maxBytesPerBatch", { source: () => [], batchHandler: none, itemBatcher: { maxItemsPerBatch: 5, maxBytesPerBatch: 0 } }, /itemBatcher\.maxBytesPerBatch must be a whole number >= 1, got 0\./],
    ["a NaN maxBytesPerBatch", { source: () => [], batchHandler: none, itemBatcher: { maxItemsPerBatch: 5, maxBytesPerBatch: Number.NaN } }, /itemBatcher\.maxBytesPerBatch must be a whole number >= 1, got NaN\./],
  ])("refuses %s, naming the field", (_what, options, message) => {
    expect(() => defineDistributedMap(`bad-${_what}`, options as never)).toThrow(message);
  });

  it("refuses a second definition under a name already taken", () => {
    expect(() => defineDistributedMap("validation-squares", { source: () => [], itemHandler: one })).toThrow(
      /already defined.*unique/,
    );
  });

  it("refuses an empty name", () => {
    expect(() => defineDistributedMap("", { source: () => [], itemHandler: one })).toThrow(ValidationError);
  });
});

describe("ctx.distributedMap validation, before anything is written", () => {
  it.each([
    [{ maxChildExecutions: 0 }, /config\.maxChildExecutions must be a whole number >= 1/],
    [{ itemsPerChild: -1 }, /config\.itemsPerChild must be a whole number >= 1/],
    [{ itemsPerChild: 10, partitions: 2 }, /config\.itemsPerChild or config\.partitions, not both/],
    [{ completionConfig: { toleratedFailurePercentage: 120 } }, /toleratedFailurePercentage must be a number from 0 to 100/],
    [{ completionConfig: { shouldComplete: () => ({ complete: true }) } }, /shouldComplete is not supported/],
    [{ functionName: "" }, /config\.functionName must be a non-empty string/],
  ] as [DistributedMapConfig<{ count: number }>, RegExp][])("%j fails the execution with a message naming the field", async (config, message) => {
    const run = await runWith({ params: { count: 3 }, ...config });
    expect(run.status).toBe("FAILED");
    expect(run.message).toMatch(message);
    expect(run.operations).toBe(0);
  });

  it("refuses itemsPerChild for a paginated source and partitions it cannot split", async () => {
    expect((await runWith({ itemsPerChild: 5 }, paged as never)).message).toMatch(/itemsPerChild splits an array source by position/);
    expect((await runWith({ partitions: 4 }, paged as never)).message).toMatch(/has no partitions\(count\)/);
  });

  it("refuses a definition that defineDistributedMap did not make", async () => {
    const run = await runLocal(async (_event, ctx) => ctx.distributedMap({ name: "x", options: squares.options } as never), {});
    expect(run.execution.error?.ErrorMessage).toMatch(/pass what defineDistributedMap/);
  });
});

describe("a partition input", () => {
  it("naming a definition this function does not have fails the child, saying which exist", async () => {
    const task = { map: "nowhere", runId: "r", params: null, partition: 0, partitionCount: 1, maxFailedItems: 10 };
    const run = await runLocal(async () => "the handler must not run", { [PARTITION_INPUT_KEY]: task });
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorMessage).toMatch(/distributed map "nowhere".*defines no distributed map of that name.*"validation-squares"/);
  });

  it("runs the partition worker instead of the handler, over its array range", async () => {
    const task = { map: "validation-squares", runId: "r", params: { count: 10 }, partition: 1, partitionCount: 2, range: [5, 10], maxFailedItems: 10 };
    const run = await runLocal(async () => "the handler must not run", { [PARTITION_INPUT_KEY]: task });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.result).toMatchObject({ partition: 1, counts: { succeeded: 5, total: 5 }, pages: 1, failedItems: [] });
  });
});

describe("an empty source", () => {
  it("completes with zero counts, no child started", async () => {
    const run = await runLocal(async (_event, ctx) => ctx.distributedMap(squares, { params: { count: 0 }, functionName: "nobody" }), {});
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.result).toMatchObject({
      counts: { succeeded: 0, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 0 },
      completionReason: "ALL_COMPLETED",
      children: [],
      failedItems: [],
    });
    expect(run.operations.filter((op) => op.Type === "CHAINED_INVOKE")).toEqual([]);
  });
});
