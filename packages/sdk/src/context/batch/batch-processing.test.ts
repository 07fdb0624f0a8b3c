import { describe, expect, it } from "vitest";
import { ValidationError } from "../../errors/validation-error.js";
import { createRetryStrategy, retryPresets } from "../../retry/retry-strategy.js";
import { eventLines, runLocal } from "../../test-support/run-local.js";
import { BatchItemStatus, type BatchResult } from "../../types/batch.js";
import type { DurableContext } from "../../types/context.js";
import { JitterStrategy } from "../../types/step.js";
import { allCompleted, firstSuccessful } from "./completion-helpers.js";

const snapshot = (r: BatchResult<unknown>) => ({
  reason: r.completionReason,
  status: r.status,
  counts: { ok: r.successCount, failed: r.failureCount, timedOut: r.timedOutCount, skipped: r.skippedCount, started: r.startedCount, total: r.totalCount },
  items: r.all.map((i) => ({ index: i.index, status: i.status, result: i.result, error: i.error && [i.error.message, i.error.cause?.name] })),
});

const noJitter = (seconds: number, maxAttempts: number) =>
  createRetryStrategy({ maxAttempts, initialDelay: { seconds }, backoffRate: 1, jitter: JitterStrategy.NONE });

describe("itemTimeout", () => {
  it("times out an item suspended past its deadline, without running it again, and replays the same result", async () => {
    const runs: number[] = [];
    const snapshots: unknown[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map(
        "jobs",
        [5, 120, 10],
        async (c, seconds, index) => {
          runs.push(index);
          await c.wait("work", { seconds });
          return index;
        },
        { itemTimeout: { seconds: 60 }, completionConfig: allCompleted() },
      );
      snapshots.push(snapshot(result));
      await ctx.wait("after", { seconds: 300 });
      return "done";
    });
    expect(run.result).toBe("done");
    expect(snapshots[0]).toMatchObject({
      reason: "ALL_COMPLETED",
      status: "FAILED",
      counts: { ok: 2, failed: 1, timedOut: 1, skipped: 0, total: 3 },
      items: [
        { index: 0, status: "SUCCEEDED", result: 0 },
        { index: 1, status: "TIMED_OUT", error: ['map "jobs" item 1 did not finish within its itemTimeout of 60 s.', "BatchItemTimeoutError"] },
        { index: 2, status: "SUCCEEDED", result: 2 },
      ],
    });
    // Replays (after the deadline, after "after", and after item 1's own abandoned 120 s wait
    // woke the execution once more) rebuild the identical result.
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    for (const later of snapshots.slice(1)) expect(later).toEqual(snapshots[0]);
    // Item 1's function ran (or replayed) in the invocations at 0 s, 5 s and 10 s only: once its
    // 60 s deadline fired it was recorded TIMED_OUT without running again.
    expect(runs.filter((i) => i === 1)).toHaveLength(3);
    const lines = eventLines(run.history);
    expect(lines).toContain("WaitCancelled 1-4 itemTimeout"); // item 0 finished first
    expect(lines).toContain("WaitSucceeded 1-5 itemTimeout"); // item 1's deadline
    expect(lines).toContain("ContextFailed 1-2 map-item-1");
    const item1 = run.operations.find((op) => op.Id === "1-2");
    expect(item1?.ContextDetails?.Error?.ErrorType).toBe("BatchItemTimeoutError");
  });

  it("keeps the deadline across retries: a resumed item does not restart its clock", async () => {
    let attempts = 0;
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map(
        "flaky",
        ["x"],
        async (c) =>
          c.step("call", async () => {
            attempts++;
            throw new Error("unavailable");
          }),
        // Attempts at 0 s and 20 s; the third would be at 40 s, past the 30 s deadline.
        { itemTimeout: { seconds: 30 }, retryStrategy: noJitter(20, 10), completionConfig: allCompleted() },
      );
      return snapshot(result);
    });
    expect(attempts).toBe(2);
    expect(run.result).toMatchObject({ counts: { timedOut: 1 }, items: [{ status: "TIMED_OUT" }] });
    const started = run.operations.find((op) => op.Id === "1-2")?.StartTimestamp as Date;
    const timedOut = run.operations.find((op) => op.Id === "1-2")?.EndTimestamp as Date;
    expect((timedOut.getTime() - started.getTime()) / 1000).toBe(30);
  });

  it("aborts the signal of an item whose code overruns, and keeps it from writing", async () => {
    let reason: unknown;
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map(
        "slow",
        [0],
        async (c) =>
          c.step("hang", async ({ signal }) => {
            await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
            reason = signal.reason;
            return "finished anyway";
          }),
        { itemTimeout: { seconds: 1 }, completionConfig: allCompleted() },
      );
      return snapshot(result);
    });
    expect((reason as Error).name).toBe("BatchItemTimeoutError");
    expect(run.result).toMatchObject({ items: [{ status: "TIMED_OUT" }] });
    const lines = eventLines(run.history);
    expect(lines.some((l) => l.startsWith("StepSucceeded"))).toBe(false);
    expect(lines).toContain("WaitCancelled 1-2 itemTimeout");
  });

  it("cancels the deadlines of items abandoned by early completion", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.parallel(
        "race",
        [async (c: DurableContext) => c.step("fast", async () => "won"), async (c: DurableContext) => (await c.wait({ hours: 1 }), "late")],
        { itemTimeout: { minutes: 10 }, completionConfig: firstSuccessful() },
      );
      return snapshot(result);
    });
    expect(run.result).toMatchObject({ reason: "MIN_SUCCESSFUL_REACHED", items: [{ status: "SUCCEEDED" }, { status: "STARTED" }] });
    const timeouts = run.operations.filter((op) => op.Name === "itemTimeout");
    expect(timeouts.map((op) => op.Status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(run.invocations).toHaveLength(1);
  });

  it("rejects a deadline that is not a positive whole number of seconds before writing anything", async () => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.map("m", [1], async (_c, n) => n, { itemTimeout: { seconds: 0 } });
        return "accepted";
      } catch (error) {
        return [(error as Error).name, (error as Error).message];
      }
    });
    expect(run.result).toEqual(["ValidationError", 'map "m": itemTimeout must be at least 1 second, got 0 s.']);
    expect(run.checkpointCalls.flatMap((c) => c.Updates ?? []).filter((u) => u.Type !== "EXECUTION")).toEqual([]);
  });
});

describe("partitionKey (FIFO by key)", () => {
  const events = [
    { device: "a", n: 1 },
    { device: "b", n: 1 },
    { device: "a", n: 2 },
    { device: "a", n: 3 },
    { device: "b", n: 2 },
    { device: "c", n: 1 },
  ];

  it("runs a key's items one after another in order, in parallel across keys, and skips a key's rest after a failure", async () => {
    const order: string[] = [];
    const snapshots: unknown[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map(
        "readings",
        events,
        async (c, e) => {
          await c.wait({ seconds: e.n }); // suspends: the next item of the key must wait for this one
          return c.step("store", async () => {
            order.push(`${e.device}${e.n}`);
            if (e.device === "a" && e.n === 2) throw new Error("bad reading");
            return `${e.device}${e.n}`;
          }, { retryStrategy: retryPresets.noRetry });
        },
        { partitionKey: (e) => e.device, maxConcurrency: 2, completionConfig: allCompleted() },
      );
      snapshots.push(snapshot(result));
      await ctx.wait({ seconds: 10 });
      return "done";
    });
    expect(run.result).toBe("done");
    const item = (index: number) => run.operations.find((op) => op.Id === `1-${index + 1}`);
    const startOf = (index: number) => (item(index)?.StartTimestamp as Date).getTime();
    const endOf = (index: number) => (item(index)?.EndTimestamp as Date).getTime();
    // Within a key, an item starts only after the previous one ended; across keys they overlap.
    expect(startOf(2)).toBeGreaterThanOrEqual(endOf(0));
    expect(startOf(4)).toBeGreaterThanOrEqual(endOf(1));
    expect(startOf(1)).toBeLessThan(endOf(0));
    const perKey = (key: string) => order.filter((x) => x.startsWith(key));
    expect(perKey("a")).toEqual(["a1", "a2"]);
    expect(perKey("b")).toEqual(["b1", "b2"]);
    expect(snapshots[0]).toMatchObject({
      reason: "ALL_COMPLETED",
      status: "FAILED",
      counts: { ok: 4, failed: 1, skipped: 1, total: 6 },
      items: [
        { index: 0, status: "SUCCEEDED", result: "a1" },
        { index: 1, status: "SUCCEEDED", result: "b1" },
        { index: 2, status: "FAILED" },
        { index: 3, status: "SKIPPED" },
        { index: 4, status: "SUCCEEDED", result: "b2" },
        { index: 5, status: "SUCCEEDED", result: "c1" },
      ],
    });
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(run.operations.some((op) => op.Id === "1-4")).toBe(false); // the skipped item wrote nothing
  });

  it("rejects a key that is not a string or a finite number before anything is written", async () => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.map("m", [{ id: 1 }, { id: 2 }], async (_c, x) => x.id, {
          partitionKey: (x) => (x.id === 2 ? ({ id: 2 } as unknown as string) : "k"),
        });
        return "accepted";
      } catch (error) {
        return [(error as Error).name, (error as Error).message];
      }
    });
    expect(run.result).toEqual([
      "ValidationError",
      'map "m": partitionKey returned object for item 1; it must return a string or a finite number (e.g. the device id or message group id).',
    ]);
    expect(run.operations.filter((op) => op.Type !== "EXECUTION")).toEqual([]);
  });
});

describe("mapBatches (itemBatcher)", () => {
  const items = Array.from({ length: 60 }, (_, i) => ({ id: `item-${i}` }));

  it("processes chunks of at most maxItemsPerBatch in one child context each and reports every item", async () => {
    const chunks: number[][] = [];
    const snapshots: unknown[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.mapBatches(
        "write",
        items,
        async (c, batch, { indexes }) =>
          c.step("batch-write", async () => {
            chunks.push([...indexes]);
            if (indexes.includes(30)) throw new Error("throttled");
            return batch.map((item) => item.id.toUpperCase());
          }, { retryStrategy: retryPresets.noRetry }),
        { itemBatcher: { maxItemsPerBatch: 25 }, completionConfig: allCompleted() },
      );
      snapshots.push(snapshot(result));
      await ctx.wait({ seconds: 1 });
      return "done";
    });
    expect(run.result).toBe("done");
    expect(chunks.map((c) => c.length)).toEqual([25, 25, 10]);
    const first = snapshots[0] as ReturnType<typeof snapshot>;
    expect(first.counts).toMatchObject({ ok: 35, failed: 25, total: 60 });
    expect(first.items[0]).toMatchObject({ index: 0, status: "SUCCEEDED", result: "ITEM-0" });
    expect(first.items[26]).toMatchObject({ index: 26, status: "FAILED", error: ["throttled", "StepError"] });
    expect(first.items[59]).toMatchObject({ index: 59, status: "SUCCEEDED", result: "ITEM-59" });
    expect(snapshots[1]).toEqual(snapshots[0]);
    // 1 map + 3 chunk contexts + 3 steps.
    expect(run.operations.filter((op) => op.Type !== "EXECUTION" && op.Type !== "WAIT")).toHaveLength(7);
  });

  it("respects maxBytesPerBatch and rejects an item that alone is too large", async () => {
    const sizes: number[] = [];
    const ok = await runLocal(async (_e, ctx) => {
      const result = await ctx.mapBatches(["aaaa", "bbbb", "cccc", "dd"], async (_c, batch) => (sizes.push(batch.length), batch), {
        itemBatcher: { maxItemsPerBatch: 10, maxBytesPerBatch: 13 }, // "aaaa" is 6 bytes as JSON
      });
      return result.getResults();
    });
    expect(ok.result).toEqual(["aaaa", "bbbb", "cccc", "dd"]);
    expect(sizes).toEqual([2, 2]);

    const tooBig = await runLocal(async (_e, ctx) => {
      try {
        await ctx.mapBatches("w", ["x".repeat(100)], async (_c, b) => b, { itemBatcher: { maxItemsPerBatch: 5, maxBytesPerBatch: 50 } });
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(tooBig.result).toMatch(/^mapBatches "w": item 0 is 102 bytes as JSON, more than itemBatcher.maxBytesPerBatch \(50\)/);
  });

  it("keeps a key's items in their own chunks, in order", async () => {
    const seen: string[][] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.mapBatches(
        ["a1", "b1", "a2", "a3", "b2"],
        async (_c, batch) => (seen.push(batch), batch.map((x) => x.toUpperCase())),
        { itemBatcher: { maxItemsPerBatch: 2 }, partitionKey: (x) => x[0] as string, maxConcurrency: 1 },
      );
      return result.getResults();
    });
    expect(seen).toEqual([["a1", "a2"], ["b1", "b2"], ["a3"]]);
    expect(run.result).toEqual(["A1", "B1", "A2", "A3", "B2"]);
  });

  it("fails a chunk whose function returns the wrong number of results", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.mapBatches([1, 2, 3], async () => [1], { itemBatcher: { maxItemsPerBatch: 3 }, completionConfig: allCompleted() });
      return result.all.map((i) => [i.status, i.error?.message]);
    });
    const message = "mapBatches chunk 0: the batch function must return one result per item (3), got 1.";
    expect(run.result).toEqual([["FAILED", message], ["FAILED", message], ["FAILED", message]]);
  });

  it.each([
    [{ maxItemsPerBatch: 0 }, "itemBatcher.maxItemsPerBatch must be a whole number >= 1, got 0"],
    [{ maxItemsPerBatch: 2.5 }, "itemBatcher.maxItemsPerBatch must be a whole number >= 1, got 2.5"],
    [{ maxItemsPerBatch: 5, maxBytesPerBatch: -1 }, "itemBatcher.maxBytesPerBatch must be a whole number of bytes >= 1"],
    [undefined, "itemBatcher is required"],
  ])("rejects itemBatcher %j", async (itemBatcher, message) => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.mapBatches([1], async (_c, b) => b, { itemBatcher } as never);
        return "accepted";
      } catch (error) {
        return error instanceof ValidationError ? error.message : `not a ValidationError: ${String(error)}`;
      }
    });
    expect(run.result).toContain(message);
    expect(run.operations.filter((op) => op.Type !== "EXECUTION")).toEqual([]);
  });
});

describe("retryStrategy shorthand", () => {
  it("applies to steps inside items that set none, nested contexts included, and nowhere else", async () => {
    const attempts = new Map<string, number>();
    const failing = (key: string) => async () => {
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      throw new Error(`${key} failed`);
    };
    const run = await runLocal(async (_e, ctx) => {
      await ctx.map(
        "m",
        ["x"],
        async (c) => {
          await Promise.allSettled([
            c.step("inherits", failing("inherits")),
            c.step("own", failing("own"), { retryStrategy: retryPresets.noRetry }),
            c.runInChildContext("nested", (n) => n.step("deep", failing("deep"))),
          ]);
          return "x";
        },
        { retryStrategy: noJitter(1, 3) },
      );
      await ctx.step("outside", failing("outside")).catch(() => undefined);
      return "done";
    });
    expect(run.result).toBe("done");
    expect(Object.fromEntries(attempts)).toEqual({ inherits: 3, own: 1, deep: 3, outside: 6 }); // default preset: 6 attempts
  });

  it("rejects a retryStrategy that is not a function", async () => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.map([1], async (_c, n) => n, { retryStrategy: { maxAttempts: 3 } as never });
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(run.result).toMatch(/^map: retryStrategy must be a function/);
  });
});

describe("toSqsBatchResponse", () => {
  it("lists every record whose item did not succeed, including items never started", async () => {
    const records = ["m1", "m2", "m3", "m4"].map((messageId) => ({ messageId }));
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map("q", records, async (_c, r) => {
        if (r.messageId === "m2") throw new Error("bad");
        return r.messageId;
      }, { maxConcurrency: 1 }); // fails fast: m3 and m4 never start
      return [result.toSqsBatchResponse(records), result.all.map((i) => i.status)];
    });
    expect(run.result).toEqual([
      { batchItemFailures: [{ itemIdentifier: "m2" }, { itemIdentifier: "m3" }, { itemIdentifier: "m4" }] },
      [BatchItemStatus.SUCCEEDED, BatchItemStatus.FAILED],
    ]);
  });

  it("refuses records that are not the ones the batch ran over", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map("q", [1, 2], async (_c, n) => n);
      try {
        result.toSqsBatchResponse([{ messageId: "only-one" }]);
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(run.result).toMatch(/the batch ran over 2 items but 1 records were passed/);
  });
});
