import {
  defineDistributedMap,
  StepSemantics,
  withDurableExecution,
  type DistributedMapResult,
  type DurableContext,
  type DurableLambdaHandler,
} from "@cairn/sdk";
import { JsonLinesFailedItemWriter } from "@cairn/sdk/service";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "./index.js";
import { crashingChildren } from "./test-support/crashing-children.js";
import { EffectLedger, generatedRange } from "./test-support/generated-items.js";

// Item i is { id: i }, generated a page at a time: pages are never held beyond one page.
const generated = defineDistributedMap("dm-generated", {
  source: (params: { count: number; pageSize: number; partitions: number }) => generatedRange(params.count, params.pageSize, params.partitions),
  itemHandler: async (item: { id: number }, ctx) => {
    if (item.id % 1000 === 999) await ctx.step("touch", async () => item.id);
    return item.id;
  },
  maxConcurrency: 50,
  itemId: (item) => item.id,
});

const generatedHandler = withDurableExecution(async (event: { count: number; children: number }, ctx) =>
  ctx.distributedMap(generated, {
    params: { count: event.count, pageSize: 500, partitions: event.children },
    partitions: event.children,
    maxChildExecutions: 10,
    functionName: "dm-fn",
  }),
);

describe("ctx.distributedMap on the local runner", () => {
  it("runs 100 000 generated items over 50 children with a small parent history", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: generatedHandler, skipTime: true }).registerDurableFunction("dm-fn", generatedHandler);
    const result = await runner.run({ payload: { count: 100_000, children: 50 } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    const summary = result.getResult() as DistributedMapResult;
    expect(summary.counts).toEqual({ succeeded: 100_000, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 100_000 });
    expect(summary.completionReason).toBe("ALL_COMPLETED");
    expect(summary.children).toHaveLength(50);
    expect(summary.children.every((c) => c.status === "SUCCEEDED" && c.counts?.succeeded === 2000)).toBe(true);
    // Four operations per child plus the map's own two: nothing per item reaches the parent.
    const parentOperations = result.getOperations().length;
    expect(parentOperations).toBeLessThan(1000);
    expect(parentOperations).toBe(2 + 50 * 4);
  }, 120_000);
});


const noRetry = () => ({ shouldRetry: false });

describe("ctx.distributedMap under crashes", () => {
  it("processes every successful item exactly once, at-most-once bodies never twice, with crashes in parent and children", async () => {
    const atMostOnce = new EffectLedger(600);
    const effects = new EffectLedger(600);
    const ledgered = defineDistributedMap("dm-ledger", {
      source: (params: { count: number }) => Array.from({ length: params.count }, (_, id) => ({ id })),
      itemHandler: async (item: { id: number }, ctx) => {
        await ctx.step("charge", async () => atMostOnce.record(item.id), {
          semantics: StepSemantics.AtMostOncePerRetry,
          retryStrategy: noRetry,
        });
        await ctx.step("record", async () => effects.record(item.id));
      },
      pageSize: 10,
      maxConcurrency: 5,
      itemId: (item) => item.id,
    });
    const handler = withDurableExecution(async (event: { count: number }, ctx) =>
      ctx.distributedMap(ledgered, {
        params: event,
        itemsPerChild: 50,
        maxChildExecutions: 4,
        completionConfig: { toleratedFailurePercentage: 100 },
        maxFailedItems: 1000,
        functionName: "dm-ledger-fn",
      }),
    );
    const children = crashingChildren(handler, (n) => (n % 41 === 0 ? (n % 2 === 0 ? "before" : "after") : undefined));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-ledger-fn", children.wrapped);
    const result = await runner.run({
      payload: { count: 600 },
      faults: { crashAfterCheckpoint: [5, 30, 60], crashBeforeCheckpoint: [15, 45] },
    });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(children.crashes()).toBeGreaterThan(10);
    expect(result.getInvocations().length).toBeGreaterThan(5); // the parent crashed and resumed too
    const summary = result.getResult() as DistributedMapResult;
    const failed = new Set(summary.failedItems.map((f) => f.item as number));
    expect(summary.counts.succeeded + summary.counts.failed).toBe(600);
    expect(summary.counts.total).toBe(600);
    expect(failed.size).toBe(summary.counts.failed);
    // Only an at-most-once body interrupted by a crash may fail: at most one per item in flight.
    expect(summary.failedItems.every((f) => /interrupted during its previous attempt/.test(f.errorMessage))).toBe(true);
    expect(summary.counts.failed).toBeLessThanOrEqual(children.crashes() * 5);
    for (let id = 0; id < 600; id++) {
      expect(atMostOnce.count(id)).toBeLessThanOrEqual(1);
      if (!failed.has(id)) {
        expect(atMostOnce.count(id), `item ${id}`).toBe(1);
        // At least once: a crash may run the record step's body again, never lose it.
        expect(effects.count(id), `item ${id}`).toBeGreaterThanOrEqual(1);
      }
    }
  }, 120_000);
});

describe("ctx.distributedMap completion across all items", () => {
  it("starts no more children once the tolerated failures are exceeded, and says which did not start", async () => {
    let invoked = 0;
    const failing = defineDistributedMap("dm-tolerance", {
      source: () => Array.from({ length: 1000 }, (_, id) => id),
      itemHandler: async (id: number, ctx) =>
        ctx.step("work", async () => {
          if (id >= 150 && id < 160) throw new Error(`item ${id} is bad`);
          return id;
        }, { retryStrategy: noRetry }),
      pageSize: 10,
    });
    const handler = withDurableExecution(async (_event: unknown, ctx) =>
      ctx.distributedMap(failing, {
        itemsPerChild: 100,
        maxChildExecutions: 2,
        completionConfig: { toleratedFailureCount: 5 },
        maxFailedItems: 3,
        functionName: "dm-tolerance-fn",
      }),
    );
    const counting: DurableLambdaHandler = (input, context) => {
      if (input.InitialExecutionState.Operations?.length === 1) invoked++;
      return handler(input, context);
    };
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-tolerance-fn", counting);
    const result = await runner.run({ payload: {} });

    const summary = result.getResult() as DistributedMapResult;
    expect(summary.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(summary.children[1]).toMatchObject({ status: "STOPPED_EARLY", counts: { succeeded: 50, failed: 10 } });
    const notStarted = summary.children.filter((c) => c.status === "NOT_STARTED");
    expect(notStarted.length).toBeGreaterThanOrEqual(6);
    expect(notStarted.every((c) => c.partition >= 2)).toBe(true);
    expect(invoked).toBe(10 - notStarted.length);
    expect(summary.counts.failed).toBe(10);
    // Unread items of known ranges stay pending: the total is the source's.
    expect(summary.counts.total).toBe(1000);
    expect(summary.counts.pending).toBe(1000 - summary.counts.succeeded - 10);
    expect(summary.failedItems.map((f) => f.item)).toEqual([150, 151, 152]);
    expect(summary.failedItems[0]).toMatchObject({ status: "FAILED", errorMessage: "item 150 is bad", partition: 1, page: 5 });
    expect(summary.failedItemsTruncated).toBe(true);
  }, 60_000);
});

describe("ctx.distributedMap splitting and per-page options", () => {
  it("splits by partitionOf: every child reads the whole source and keeps its own items", async () => {
    const seen = new Map<number, number>();
    const byRemainder = defineDistributedMap("dm-partition-of", {
      source: () => async (cursor: number | undefined) => {
        const from = cursor ?? 0;
        return { items: Array.from({ length: 30 }, (_, k) => from + k), nextCursor: from + 30 < 300 ? from + 30 : undefined };
      },
      partitionOf: (n: number, count) => n % count,
      itemHandler: async (n: number, ctx, info) => ctx.step("see", async () => seen.set(n, info.partition)),
    });
    const handler = withDurableExecution(async (_e: unknown, ctx) => ctx.distributedMap(byRemainder, { partitions: 3, functionName: "dm-po" }));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-po", handler);
    const summary = (await runner.run({ payload: {} })).getResult() as DistributedMapResult;
    expect(summary.counts.succeeded).toBe(300);
    expect(summary.children.map((c) => c.counts?.succeeded)).toEqual([100, 100, 100]);
    expect(seen.size).toBe(300);
    for (const [n, partition] of seen) expect(partition).toBe(n % 3);
  });

  it("records the totals so far in each progress step, the last holding every child even when children finish together", async () => {
    const together = defineDistributedMap("dm-together", {
      source: () => Array.from({ length: 60 }, (_, i) => i),
      partitionOf: (n: number, count) => n % count,
      itemHandler: async (n: number) => n,
    });
    const handler = withDurableExecution(async (_e: unknown, ctx) => ctx.distributedMap(together, { partitions: 6, maxChildExecutions: 6, functionName: "dm-tg" }));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-tg", handler);
    const result = await runner.run({ payload: {} });
    expect((result.getResult() as DistributedMapResult).counts.succeeded).toBe(60);
    const progress = result
      .getOperations()
      .filter((op) => op.getName() === "progress")
      .map((op) => op.getStepDetails()?.result as { finishedChildren: number; counts: { succeeded: number } });
    expect(progress).toHaveLength(6);
    expect(Math.max(...progress.map((p) => p.finishedChildren))).toBe(6);
    expect(Math.max(...progress.map((p) => p.counts.succeeded))).toBe(60);
    // Each step's counts are those of the children counted by then: 10 items each.
    for (const p of progress) expect(p.counts.succeeded).toBe(p.finishedChildren * 10);
  });

  it("chunks a page with itemBatcher, counts timed-out and skipped items, and minSuccessful stops the fan-out", async () => {
    const chunks: number[][] = [];
    const batched = defineDistributedMap("dm-batched", {
      source: () => Array.from({ length: 40 }, (_, i) => i),
      itemBatcher: { maxItemsPerBatch: 4 },
      batchHandler: async (items: number[], ctx) => ctx.step("write", async () => (chunks.push(items), items)),
      pageSize: 20,
    });
    const handler = withDurableExecution(async (_e: unknown, ctx) =>
      ctx.distributedMap(batched, { itemsPerChild: 10, maxChildExecutions: 1, completionConfig: { minSuccessful: 20 }, functionName: "dm-b" }),
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-b", handler);
    const summary = (await runner.run({ payload: {} })).getResult() as DistributedMapResult;
    expect(summary.completionReason).toBe("MIN_SUCCESSFUL_REACHED");
    expect(summary.children.map((c) => c.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "NOT_STARTED", "NOT_STARTED"]);
    expect(summary.counts).toEqual({ succeeded: 20, failed: 0, timedOut: 0, skipped: 0, pending: 20, total: 40 });
    expect(chunks.every((c) => c.length <= 4)).toBe(true);
    expect(chunks.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("applies itemTimeout and partitionKey inside a child as ctx.map does", async () => {
    const timed = defineDistributedMap("dm-timed", {
      source: () => [
        { key: "a", slow: false },
        { key: "a", slow: true },
        { key: "a", slow: false },
        { key: "b", slow: false },
      ],
      itemHandler: async (item: { key: string; slow: boolean }, ctx) => {
        if (item.slow) await ctx.wait({ minutes: 5 });
        return item.key;
      },
      itemTimeout: { seconds: 60 },
      partitionKey: (item) => item.key,
    });
    const handler = withDurableExecution(async (_e: unknown, ctx) =>
      ctx.distributedMap(timed, { completionConfig: { toleratedFailureCount: 5 }, functionName: "dm-t" }),
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-t", handler);
    const summary = (await runner.run({ payload: {} })).getResult() as DistributedMapResult;
    expect(summary.counts).toEqual({ succeeded: 2, failed: 0, timedOut: 1, skipped: 1, pending: 0, total: 4 });
    expect(summary.failedItems).toEqual([expect.objectContaining({ status: "TIMED_OUT", item: { key: "a", slow: true } })]);
  });

  it("reports a child whose source keeps failing as FAILED and starts no further child", async () => {
    const broken = defineDistributedMap("dm-broken", {
      source: () => ({
        readPage: async (cursor: number | undefined) => {
          if (cursor === 100) throw new Error("the table is gone");
          return { items: [cursor ?? 0], nextCursor: undefined };
        },
        partitions: () => [0, 100, 200],
      }),
      itemHandler: async (n: number) => n,
      retryStrategy: noRetry,
    });
    const handler = withDurableExecution(async (_e: unknown, ctx) =>
      ctx.distributedMap(broken, { partitions: 3, maxChildExecutions: 1, functionName: "dm-x" }),
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-x", handler);
    const result = await runner.run({ payload: {} });
    const summary = result.getResult() as DistributedMapResult;
    expect(summary.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(summary.children.map((c) => c.status)).toEqual(["SUCCEEDED", "FAILED", "NOT_STARTED"]);
    expect(summary.children[1]?.errorMessage).toMatch(/the table is gone/);
  }, 30_000);
});

describe("a child crashing mid-partition", () => {
  it("resumes at its checkpointed cursor: a page is read again only when a crash lost its read", async () => {
    const reads: number[] = [];
    const paged = defineDistributedMap("dm-cursor", {
      source: () => async (cursor: number | undefined) => {
        const from = cursor ?? 0;
        reads.push(from);
        return { items: Array.from({ length: 20 }, (_, k) => from + k), nextCursor: from + 20 < 400 ? from + 20 : undefined };
      },
      itemHandler: async (n: number, ctx) => ctx.step("work", async () => n),
    });
    const handler = withDurableExecution(async (_e: unknown, ctx) => ctx.distributedMap(paged, { functionName: "dm-c" }));
    const crashing = crashingChildren(handler, (n) => (n % 13 === 0 ? (n % 2 === 0 ? "before" : "after") : undefined));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("dm-c", crashing.wrapped);
    const summary = (await runner.run({ payload: {} })).getResult() as DistributedMapResult;

    expect(summary.counts.succeeded).toBe(400);
    expect(crashing.crashes()).toBeGreaterThanOrEqual(5);
    // Never back to the start of the partition: each crash costs at most the read it interrupted.
    expect(reads.filter((cursor) => cursor === 0)).toHaveLength(1);
    expect(reads.length).toBeLessThanOrEqual(20 + crashing.crashes());
    expect(new Set(reads).size).toBe(20);
  }, 30_000);
});

describe("a redrive over the failed items a writer kept", () => {
  it("runs only the items that failed, and the earlier successes stay done", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-redrive-"));
    try {
      const failures = new JsonLinesFailedItemWriter(dir);
      const broken = new Set([3, 17, 18, 42, 99, 150, 151, 199]);
      const processed: number[] = [];
      const work = async (n: number, ctx: DurableContext) =>
        ctx.step("work", async () => {
          if (broken.has(n)) throw new Error(`${n} is not ready`);
          processed.push(n);
          return n;
        }, { retryStrategy: noRetry });
      const first = defineDistributedMap("dm-first-run", {
        source: () => Array.from({ length: 200 }, (_, i) => i),
        itemHandler: work,
        pageSize: 10,
        failedItemWriter: failures,
      });
      const redrive = defineDistributedMap("dm-redrive", {
        source: (params: { runId: string }) => failures.source<number>(params.runId),
        itemHandler: work,
      });
      const firstHandler = withDurableExecution(async (_e: unknown, ctx) =>
        ctx.distributedMap(first, { itemsPerChild: 50, maxFailedItems: 2, completionConfig: { toleratedFailurePercentage: 100 }, functionName: "dm-r1" }),
      );
      const firstRun = (
        await new LocalDurableTestRunner({ handlerFunction: firstHandler, skipTime: true }).registerDurableFunction("dm-r1", firstHandler).run({ payload: {} })
      ).getResult() as DistributedMapResult;
      expect(firstRun.counts).toMatchObject({ succeeded: 192, failed: 8 });
      expect(firstRun.failedItemsTruncated).toBe(true); // the summary has 2; the writer has all 8

      broken.clear();
      processed.length = 0;
      const redriveHandler = withDurableExecution(async (event: { runId: string }, ctx) =>
        ctx.distributedMap(redrive, { params: { runId: event.runId }, partitions: 3, functionName: "dm-r2" }),
      );
      const second = (
        await new LocalDurableTestRunner({ handlerFunction: redriveHandler, skipTime: true })
          .registerDurableFunction("dm-r2", redriveHandler)
          .run({ payload: { runId: firstRun.runId } })
      ).getResult() as DistributedMapResult;
      expect(second.counts).toEqual({ succeeded: 8, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 8 });
      expect(second.children).toHaveLength(3);
      expect(processed.sort((a, b) => a - b)).toEqual([3, 17, 18, 42, 99, 150, 151, 199]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("the function children run in", () => {
  it("is the function's own name by default, and an unregistered one fails the children with how to register it", async () => {
    const small = defineDistributedMap("dm-self", { source: () => [1, 2, 3], itemHandler: async (n: number) => n });
    const handler = withDurableExecution(async (_e: unknown, ctx) => ctx.distributedMap(small, { partitions: 1 }));

    const registered = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true, functionName: "self-fn" }).registerDurableFunction("self-fn", handler);
    expect(((await registered.run({ payload: {} })).getResult() as DistributedMapResult).counts.succeeded).toBe(3);

    const unregistered = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true, functionName: "lonely-fn" });
    const summary = (await unregistered.run({ payload: {} })).getResult() as DistributedMapResult;
    expect(summary.children[0]).toMatchObject({ status: "FAILED", errorMessage: expect.stringMatching(/registerDurableFunction\("lonely-fn"/) });
    expect(summary.counts).toMatchObject({ succeeded: 0, pending: 3, total: 3 });
  });
});
