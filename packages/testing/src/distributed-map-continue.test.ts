import {
  defineDistributedMap,
  distributedMapProgress,
  MemoryProgressBoard,
  StepSemantics,
  withDurableExecution,
  type DistributedMapDefinition,
  type DistributedMapResult,
  type DistributedMapStopReason,
  type DurableContext,
} from "@cairn/sdk";
import { FileProgressBoard, JsonLinesFailedItemWriter, MemoryExecutionStore } from "@cairn/sdk/service";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "./index.js";
import { crashingChildren } from "./test-support/crashing-children.js";

// Completion across running children (a progress board), and going on from where a run stopped
// (config.continueFrom): every item is processed by exactly one of the runs.

const noRetry = () => ({ shouldRetry: false });

/** Runs `definition` to its end on the local runner, its children invoked at `fn`. */
async function runMap(
  definition: { readonly name: string },
  fn: string,
  config: Record<string, unknown>,
  crashChildren?: (checkpoint: number) => "before" | "after" | undefined,
  store?: MemoryExecutionStore,
): Promise<DistributedMapResult> {
  const handler = withDurableExecution(async (_e: unknown, ctx) =>
    ctx.distributedMap(definition as unknown as DistributedMapDefinition<unknown, unknown, unknown>, { ...config, functionName: fn }),
  );
  const child = crashChildren ? crashingChildren(handler, crashChildren).wrapped : handler;
  const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true, ...(store ? { store } : {}) }).registerDurableFunction(fn, child);
  const result = await runner.run({ payload: {} });
  const summary = result.getResult() as DistributedMapResult | undefined;
  if (!summary) throw new Error(`the map did not finish: ${JSON.stringify(result.getError())}`);
  return summary;
}

/** Items that wait (skipped time, a second by default) before their step, so children interleave page by page. */
function slowItems(bad: (n: number) => boolean, seen: number[], waitSeconds = 1) {
  return async (n: number, ctx: DurableContext) => {
    await ctx.wait({ seconds: waitSeconds });
    return ctx.step(
      "work",
      async () => {
        seen.push(n);
        if (bad(n)) throw new Error(`item ${n} is bad`);
        return n;
      },
      { retryStrategy: noRetry },
    );
  };
}

describe("a progress board: the map's completion reaches children that are running", () => {
  const boards = [
    ["in memory", () => ({ board: new MemoryProgressBoard(), done: () => {} })],
    [
      "in files",
      () => {
        const dir = mkdtempSync(join(tmpdir(), "cairn-board-"));
        return { board: new FileProgressBoard(dir), done: () => rmSync(dir, { recursive: true, force: true }) };
      },
    ],
  ] as const;

  for (const [kind, make] of boards) {
    it(`stops every running child once the failures anywhere exceed the tolerance (${kind})`, async () => {
      const { board, done } = make();
      try {
        const seen: number[] = [];
        // Partition 0 fails from its second page on; the other three children are healthy.
        const item = slowItems((n) => n >= 10 && n < 100, seen);
        const withBoard = defineDistributedMap(`dm-board-${kind}`, {
          source: () => Array.from({ length: 400 }, (_, i) => i),
          itemHandler: item,
          pageSize: 10,
          progressBoard: board,
        });
        const summary = await runMap(withBoard, `dm-board-fn-${kind}`, {
          itemsPerChild: 100,
          maxChildExecutions: 4,
          completionConfig: { toleratedFailureCount: 5 },
        });
        expect(summary.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
        expect(summary.children.map((c) => c.status)).toEqual(["STOPPED_EARLY", "STOPPED_EARLY", "STOPPED_EARLY", "STOPPED_EARLY"]);
        // Healthy children stopped within a page or two of partition 0's failures being reported.
        for (const child of summary.children.slice(1)) expect(child.counts!.succeeded).toBeLessThanOrEqual(40);
        expect(seen.length).toBeLessThan(200);
        expect(summary.counts.total).toBe(400);
        expect(summary.counts.pending).toBe(400 - seen.length);
        // Each stopped child says where its unprocessed items start.
        for (const child of summary.children) {
          expect(child.remaining?.range).toEqual([100 * child.partition + child.counts!.total, 100 * (child.partition + 1)]);
        }
        // Once every child has ended, the parent clears the run from the board.
        expect(await board.read(summary.runId)).toEqual({ counts: { succeeded: 0, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 0 } });
      } finally {
        done();
      }
    }, 60_000);
  }

  it("without a board, healthy children run their whole partition (the control)", async () => {
    const seen: number[] = [];
    const noBoard = defineDistributedMap("dm-no-board", {
      source: () => Array.from({ length: 400 }, (_, i) => i),
      itemHandler: slowItems((n) => n >= 10 && n < 100, seen),
      pageSize: 10,
    });
    const summary = await runMap(noBoard, "dm-no-board-fn", {
      itemsPerChild: 100,
      maxChildExecutions: 4,
      completionConfig: { toleratedFailureCount: 5 },
    });
    expect(summary.children.map((c) => c.status)).toEqual(["STOPPED_EARLY", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    expect(summary.children[0]!.remaining).toEqual({ range: [20, 100] });
    expect(summary.children[1]!.remaining).toBeUndefined();
  }, 60_000);

  it("stops the children once minSuccessful is met by all of them together", async () => {
    const seen: number[] = [];
    const board = new MemoryProgressBoard();
    const enough = defineDistributedMap("dm-min-successful", {
      source: () => Array.from({ length: 400 }, (_, i) => i),
      itemHandler: slowItems(() => false, seen),
      pageSize: 10,
      progressBoard: board,
    });
    const summary = await runMap(enough, "dm-min-fn", {
      itemsPerChild: 100,
      maxChildExecutions: 4,
      completionConfig: { minSuccessful: 120 },
    });
    expect(summary.completionReason).toBe("MIN_SUCCESSFUL_REACHED");
    expect(summary.counts.succeeded).toBeGreaterThanOrEqual(120);
    // No child ran alone to 120: the sum across children stopped them, a page or so past the mark.
    expect(summary.counts.succeeded).toBeLessThanOrEqual(120 + 4 * 10);
    expect(summary.children.every((c) => c.status === "STOPPED_EARLY")).toBe(true);
  }, 60_000);

  it("posts a stop when a child execution fails, and children still running stop at their next page", async () => {
    const seen: number[] = [];
    const stops: string[] = [];
    const board = new (class extends MemoryProgressBoard {
      override async stop(runId: string, reason: DistributedMapStopReason): Promise<void> {
        stops.push(reason);
        return super.stop(runId, reason);
      }
    })();
    const broken = defineDistributedMap("dm-board-broken", {
      source: () => ({
        readPage: async (cursor: number | undefined) => {
          const from = cursor ?? 0;
          if (from === 20) throw new Error("the table is gone");
          const end = (Math.floor(from / 100) + 1) * 100;
          return { items: Array.from({ length: 10 }, (_, k) => from + k), nextCursor: from + 10 < end ? from + 10 : undefined };
        },
        partitions: (count: number) => Array.from({ length: count }, (_, p) => p * 100),
      }),
      // Slower than the read's retries, so the other children are still running when it gives up.
      itemHandler: slowItems(() => false, seen, 600),
      progressBoard: board,
    });
    const store = new MemoryExecutionStore();
    const summary = await runMap(broken, "dm-board-broken-fn", { partitions: 3, maxChildExecutions: 3 }, undefined, store);
    expect(summary.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(summary.children[0]).toMatchObject({ status: "FAILED", counts: { succeeded: 20 }, remaining: { cursor: 20 } });
    expect(summary.children[0]!.errorMessage).toMatch(/the table is gone/);
    expect(summary.children.slice(1).map((c) => c.status)).toEqual(["STOPPED_EARLY", "STOPPED_EARLY"]);
    // The failing child posted the stop itself (and the parent again when it heard of the failure).
    expect(stops.length).toBeGreaterThanOrEqual(1);
    expect(new Set(stops)).toEqual(new Set(["FAILURE_TOLERANCE_EXCEEDED"]));
    expect(seen.length).toBeLessThan(300);

    // The parent's operations, as a store or client returns them, read back as the same progress.
    const records = await Promise.all((await store.listIds()).map((id) => store.peek(id)!));
    const parent = records.find((r) => [...r.operations.values()].some((op) => op.Name === "distributed-map-dm-board-broken"))!;
    const [progress] = distributedMapProgress([...parent.operations.values()]);
    expect(progress).toMatchObject({ name: "dm-board-broken", planned: 3, counts: summary.counts, completionReason: "FAILURE_TOLERANCE_EXCEEDED" });
    expect(progress!.partitions.map((p) => p.status)).toEqual(["FAILED", "STOPPED_EARLY", "STOPPED_EARLY"]);
    expect(progress!.children).toMatchObject({ started: 3, finished: 3, failed: 1, running: 0 });
  }, 60_000);
});

describe("config.continueFrom: going on from where a run stopped", () => {
  it("runs exactly the items an array run left: not started, stopped early, and a failed child's rest", async () => {
    const processed = new Map<number, number>();
    let bad = (n: number) => n >= 150 && n < 160;
    const definition = defineDistributedMap("dm-continue-array", {
      source: () => Array.from({ length: 1000 }, (_, i) => i),
      itemHandler: async (n: number, ctx) =>
        ctx.step("work", async () => {
          if (bad(n)) throw new Error(`item ${n} is bad`);
          processed.set(n, (processed.get(n) ?? 0) + 1);
          return n;
        }, { retryStrategy: noRetry }),
      pageSize: 10,
    });
    const first = await runMap(definition, "dm-ca-fn", {
      itemsPerChild: 100,
      maxChildExecutions: 2,
      completionConfig: { toleratedFailureCount: 5 },
    });
    expect(first.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(first.children.some((c) => c.status === "NOT_STARTED")).toBe(true);
    expect(first.children[1]).toMatchObject({ status: "STOPPED_EARLY", remaining: { range: [160, 200] } });
    expect(first.counts.pending).toBeGreaterThan(0);

    bad = () => false;
    const before = new Map(processed);
    const second = await runMap(definition, "dm-ca-fn-2", { continueFrom: first, maxChildExecutions: 3 });
    expect(second.completionReason).toBe("ALL_COMPLETED");
    expect(second.counts).toMatchObject({ succeeded: first.counts.pending, failed: 0, pending: 0, total: first.counts.pending });
    expect(second.children.every((c) => c.status === "SUCCEEDED" && c.remaining === undefined)).toBe(true);
    // Every item succeeded exactly once over both runs, except the ten that failed the first time
    // (those are a redrive's, from the failed-item writer).
    for (let n = 0; n < 1000; n++) expect(processed.get(n) ?? 0, `item ${n}`).toBe(n >= 150 && n < 160 ? 0 : 1);
    for (const [n, times] of before) expect(processed.get(n)).toBe(times);
  }, 60_000);

  it("goes on from a paginated child's cursor after its source failed, under crashes, keeping what it had done", async () => {
    const processed = new Map<number, number>();
    const reads: number[] = [];
    let broken = true;
    const definition = defineDistributedMap("dm-continue-cursor", {
      source: () => ({
        readPage: async (cursor: number | undefined) => {
          const from = cursor ?? 0;
          reads.push(from);
          if (broken && from === 230) throw new Error("throttled for good");
          const end = (Math.floor(from / 100) + 1) * 100;
          return { items: Array.from({ length: 10 }, (_, k) => from + k), nextCursor: from + 10 < end ? from + 10 : undefined };
        },
        partitions: (count: number) => Array.from({ length: count }, (_, p) => p * 100),
      }),
      itemHandler: async (n: number, ctx) =>
        ctx.step("work", async () => {
          processed.set(n, (processed.get(n) ?? 0) + 1);
          return n;
        }),
      retryStrategy: noRetry,
    });
    const first = await runMap(definition, "dm-cc-fn", { partitions: 4, maxChildExecutions: 1 });
    expect(first.children.map((c) => c.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "FAILED", "NOT_STARTED"]);
    expect(first.children[2]).toMatchObject({ counts: { succeeded: 30 }, remaining: { cursor: 230 } });
    expect(first.children[3]).toMatchObject({ remaining: { cursor: 300 } });

    broken = false;
    reads.length = 0;
    // Children crash at checkpoints along the way; a crash costs at most the work it interrupted.
    const second = await runMap(definition, "dm-cc-fn-2", { continueFrom: first }, (n) => (n % 7 === 0 ? "after" : undefined));
    expect(second.counts.succeeded).toBe(170);
    expect(Math.min(...reads)).toBe(230);
    for (let n = 0; n < 400; n++) expect(processed.get(n) ?? 0, `item ${n}`).toBeGreaterThanOrEqual(1);
    const twice = [...processed].filter(([, times]) => times > 1).map(([n]) => n);
    expect(twice.every((n) => n >= 230)).toBe(true); // only the continued run's crashes repeat work
  }, 60_000);

  it("keeps partitionOf buckets: a continued partition reads only its bucket of the earlier run", async () => {
    const processed = new Map<number, number>();
    let failing = true;
    const definition = defineDistributedMap("dm-continue-bucket", {
      source: () => async (cursor: number | undefined) => {
        const from = cursor ?? 0;
        return { items: Array.from({ length: 20 }, (_, k) => from + k), nextCursor: from + 20 < 200 ? from + 20 : undefined };
      },
      partitionOf: (n: number, count: number) => n % count,
      itemHandler: async (n: number, ctx) =>
        ctx.step("work", async () => {
          if (failing && n === 7) throw new Error("seven is bad");
          processed.set(n, (processed.get(n) ?? 0) + 1);
          return n;
        }, { retryStrategy: noRetry }),
    });
    const first = await runMap(definition, "dm-cb-fn", { partitions: 5, maxChildExecutions: 1, completionConfig: { toleratedFailureCount: 0 } });
    expect(first.children.map((c) => c.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "STOPPED_EARLY", "NOT_STARTED", "NOT_STARTED"]);
    expect(first.children[2]!.remaining).toEqual({ partitionOf: { partition: 2, count: 5 }, cursor: 20 });
    expect(first.children[3]!.remaining).toEqual({ partitionOf: { partition: 3, count: 5 } });

    failing = false;
    const second = await runMap(definition, "dm-cb-fn-2", { continueFrom: first });
    expect(second.children).toHaveLength(3);
    expect(second.counts.succeeded).toBe(40 - 4 + 40 + 40);
    for (let n = 0; n < 200; n++) expect(processed.get(n) ?? 0, `item ${n}`).toBe(n === 7 ? 0 : 1);
  }, 60_000);

  it("refuses another map's result, or partitions beside continueFrom, before anything runs", async () => {
    const a = defineDistributedMap("dm-continue-a", { source: () => [1, 2, 3], itemHandler: async (n: number) => n });
    const b = defineDistributedMap("dm-continue-b", { source: () => [1, 2, 3], itemHandler: async (n: number) => n });
    const first = await runMap(a, "dm-cv-a", {});
    expect(first.map).toBe("dm-continue-a");
    await expect(runMap(b, "dm-cv-b", { continueFrom: first })).rejects.toThrow(/continueFrom is a result of "dm-continue-a", not of "dm-continue-b"/);
    await expect(runMap(a, "dm-cv-a2", { continueFrom: first, partitions: 2 })).rejects.toThrow(/leave out config.partitions/);
    await expect(runMap(a, "dm-cv-a3", { continueFrom: { map: "dm-continue-a" } })).rejects.toThrow(/must be the result of an earlier run/);
    // Nothing left: a continued run of a finished map runs no child.
    const nothing = await runMap(a, "dm-cv-a4", { continueFrom: first });
    expect(nothing).toMatchObject({ completionReason: "ALL_COMPLETED", children: [], counts: { total: 0 } });
    expect(() => defineDistributedMap("dm-bad-board", { source: () => [], itemHandler: async () => 1, progressBoard: {} as never })).toThrow(
      /progressBoard must have report/,
    );
  }, 30_000);
});

describe("pagesPerExecution: a partition carried on by fresh executions", () => {
  const charged = new Uint8Array(3000);
  const failedIds = (n: number) => n % 250 === 7;
  function definition(name: string, failures: JsonLinesFailedItemWriter) {
    return defineDistributedMap(name, {
      source: () => Array.from({ length: 3000 }, (_, i) => i),
      itemHandler: async (n: number, ctx) =>
        ctx.step(
          "charge",
          async () => {
            if (failedIds(n)) throw new Error(`item ${n} is bad`);
            charged[n]!++;
            return n;
          },
          { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: noRetry },
        ),
      pageSize: 100,
      pagesPerExecution: 4,
      failedItemWriter: failures,
    });
  }

  it("bounds every execution's history, keeps counts and page numbers across the hand-overs, and survives crashes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-continue-"));
    try {
      const failures = new JsonLinesFailedItemWriter(dir);
      charged.fill(0);
      const store = new MemoryExecutionStore();
      const summary = await runMap(definition("dm-pages-per-execution", failures), "dm-ppe-fn", { itemsPerChild: 1500, completionConfig: { toleratedFailureCount: 100 } }, undefined, store);
      expect(summary.counts).toMatchObject({ succeeded: 2988, failed: 12, pending: 0, total: 3000 });
      expect(summary.children.map((c) => [c.status, c.counts?.total])).toEqual([["SUCCEEDED", 1500], ["SUCCEEDED", 1500]]);
      // 15 pages per partition, 4 per execution: 4 executions per partition, plus the parent.
      const ids = await store.listIds();
      expect(ids).toHaveLength(1 + 2 * 4);
      const sizes = ids.map((id) => store.peek(id)!.operations.size).sort((a, b) => b - a);
      // The parent aside, none holds more than 4 pages of 100 items (2 operations each) and a few more.
      expect(sizes[1]).toBeLessThanOrEqual(4 * (2 * 100 + 3) + 2);
      // Page numbers go on across executions: the writer has one file per failing page, none overwritten.
      const written = await failures.read(summary.runId);
      expect(written.map((f) => f.item).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 12 }, (_, k) => 250 * k + 7));
      expect(new Set(written.map((f) => `${f.partition}/${f.page}`)).size).toBe(12);
      expect(written.every((f) => f.page === Math.floor(((f.item as number) % 1500) / 100))).toBe(true);
      for (let n = 0; n < 3000; n++) expect(charged[n], `item ${n}`).toBe(failedIds(n) ? 0 : 1);

      // Again with children crashing at checkpoints, hand-overs included.
      charged.fill(0);
      const crashed = await runMap(definition("dm-pages-per-execution-crashes", failures), "dm-ppe-fn-2", { itemsPerChild: 1500, completionConfig: { toleratedFailureCount: 1000 } }, (n) =>
        n % 9 === 0 ? (n % 2 === 0 ? "before" : "after") : undefined,
      );
      expect(crashed.counts.total).toBe(3000);
      for (let n = 0; n < 3000; n++) expect(charged[n], `item ${n}`).toBeLessThanOrEqual(1); // at most once, crashes or not
      // Every item that did not fail was charged exactly once; the failed ones are those failing
      // for good and those whose charge a crash interrupted (at most once means not again).
      const failedAfterCrashes = new Set((await failures.read(crashed.runId)).map((f) => f.item as number));
      expect(failedAfterCrashes.size).toBe(crashed.counts.failed);
      expect(crashed.counts.succeeded).toBe(3000 - failedAfterCrashes.size);
      for (let n = 0; n < 3000; n++) if (!failedAfterCrashes.has(n)) expect(charged[n], `item ${n}`).toBe(1);
      for (let n = 0; n < 3000; n++) if (failedIds(n)) expect(failedAfterCrashes.has(n)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it("rejects a pagesPerExecution that is not a whole number >= 1", () => {
    expect(() => defineDistributedMap("dm-bad-ppe", { source: () => [], itemHandler: async () => 1, pagesPerExecution: 0 })).toThrow(/pagesPerExecution must be a whole number >= 1/);
  });
});
