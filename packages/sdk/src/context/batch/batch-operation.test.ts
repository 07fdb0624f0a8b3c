import { describe, expect, it } from "vitest";
import { ChildContextError } from "../../errors/durable-errors.js";
import { ValidationError } from "../../errors/validation-error.js";
import { retryPresets } from "../../retry/retry-strategy.js";
import { eventLines, runLocal } from "../../test-support/run-local.js";
import { BatchItemStatus, CompletionOutcome, type BatchResult } from "../../types/batch.js";
import { completeBatch, continueBatch, firstSuccessful, minSuccessful } from "./completion-helpers.js";

const snapshot = (r: BatchResult<unknown>) => ({
  reason: r.completionReason,
  status: r.status,
  counts: [r.successCount, r.failureCount, r.startedCount, r.totalCount],
  items: r.all.map((i) => ({ index: i.index, status: i.status, result: i.result, error: i.error && [i.error.errorType, i.error.message, i.error.cause?.name] })),
});

describe("map and parallel", () => {
  it("rebuilds an identical BatchResult on replay, errors included", async () => {
    const snapshots: unknown[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map("orders", [1, 2, 3, 4], async (c, n) => {
        if (n % 2 === 0) {
          await c.step("fail", async () => {
            const error = new RangeError(`item ${n} rejected`);
            throw error;
          }, { retryStrategy: retryPresets.noRetry });
        }
        return { n, at: new Date(Date.UTC(2024, 0, n)) };
      }, { completionConfig: { toleratedFailureCount: 5 }, maxConcurrency: 2 });
      snapshots.push(snapshot(result));
      await ctx.wait({ seconds: 30 });
      return "done";
    });
    expect(run.result).toBe("done");
    expect(snapshots).toHaveLength(2);
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[0]).toMatchObject({
      reason: "ALL_COMPLETED",
      status: "FAILED",
      counts: [2, 2, 0, 4],
      items: [
        { index: 0, status: "SUCCEEDED", result: { n: 1, at: new Date(Date.UTC(2024, 0, 1)) } },
        { index: 1, status: "FAILED", error: ["ChildContextError", "item 2 rejected", "StepError"] },
        { index: 2, status: "SUCCEEDED" },
        { index: 3, status: "FAILED" },
      ],
    });
  });

  it("fails the execution when replay maps over a different number of items", async () => {
    let invocation = 0;
    const run = await runLocal(async (_e, ctx) => {
      invocation++;
      const items = invocation === 1 ? [1, 2, 3] : [1, 2];
      await ctx.map("lines", items, async (_c, n) => n);
      await ctx.wait({ seconds: 1 });
      return "done";
    });
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorType).toBe("NonDeterministicExecutionError");
    expect(run.execution.error?.ErrorMessage).toMatch(/map "lines" \(id 1\): it completed over 3 items, but the handler now passes 2/);
  });

  it("checks each finished item against the handler on replay, though it answers from its checkpoint", async () => {
    let invocation = 0;
    const run = await runLocal(async (_e, ctx) => {
      invocation++;
      await ctx.map("lines", [1, 2, 3], async (_c, n) => n, { itemNamer: (n) => (invocation === 1 || n !== 2 ? `line ${n}` : "renamed") });
      await ctx.wait({ seconds: 1 });
      return "done";
    });
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorType).toBe("NonDeterministicExecutionError");
    expect(run.execution.error?.ErrorMessage).toMatch(/operation 1-2 .*named "line 2".*named "renamed"/);
  });

  it("fails fast by default and does not start later items", async () => {
    const started: number[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map([0, 1, 2], async (_c, n) => {
        started.push(n);
        if (n === 1) throw new Error("boom");
        return n;
      }, { maxConcurrency: 1 });
      return snapshot(result);
    });
    expect(started).toEqual([0, 1]);
    expect(run.result).toMatchObject({ reason: "FAILURE_TOLERANCE_EXCEEDED", status: "FAILED", counts: [1, 1, 0, 2] });
  });

  it("completes early on firstSuccessful, aborts the rest, and keeps them from writing", async () => {
    const aborted: number[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.parallel(
        "race",
        [0, 1, 2].map((n) => async (c: import("../../types/context.js").DurableContext) => {
          c.signal.addEventListener("abort", () => aborted.push(n));
          if (n === 0) return c.step("quick", async () => "winner");
          await c.wait({ seconds: 60 * n });
          return c.step("late", async () => "too late");
        }),
        { completionConfig: firstSuccessful() },
      );
      return snapshot(result);
    });
    expect(run.result).toMatchObject({
      reason: "MIN_SUCCESSFUL_REACHED",
      status: "SUCCEEDED",
      counts: [1, 0, 2, 3],
      items: [{ status: "SUCCEEDED", result: "winner" }, { status: "STARTED" }, { status: "STARTED" }],
    });
    expect(aborted.sort()).toEqual([1, 2]);
    expect(run.invocations).toHaveLength(1);
    const lines = eventLines(run.history);
    const parentDone = lines.indexOf("ContextSucceeded 1 race");
    expect(parentDone).toBeGreaterThan(0);
    // Nothing of the abandoned branches is written after the parallel completed.
    expect(lines.slice(parentDone + 1).filter((l) => /^(Context|Step|Wait)/.test(l))).toEqual([]);
    expect(lines.some((l) => l.startsWith("StepStarted") && l.endsWith("late"))).toBe(false);
  });

  it("tells the items of a batch nested in an abandoned branch that they are no longer needed", async () => {
    const aborted: string[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.parallel(
        [
          async (c) => c.step("quick", async () => "done"),
          async (c) =>
            (
              await c.map(["a", "b"], async (item, key) => {
                item.signal.addEventListener("abort", () => aborted.push(key));
                await item.wait({ hours: 1 });
                return key;
              })
            ).getResults().join(),
        ],
        { completionConfig: firstSuccessful() },
      );
      return result.getResults();
    });
    expect(run.result).toEqual(["done"]);
    expect(aborted.sort()).toEqual(["a", "b"]);
  });

  it("counts waiting branches against maxConcurrency", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.parallel(
        [1, 2, 3].map((n) => async (c: import("../../types/context.js").DurableContext) => {
          await c.wait({ seconds: n });
          return n;
        }),
        { maxConcurrency: 2 },
      );
      return result.getResults();
    });
    expect(run.result).toEqual([1, 2, 3]);
    const firstInvocation = eventLines(run.history).slice(0, eventLines(run.history).indexOf("InvocationCompleted"));
    expect(firstInvocation.filter((l) => l.startsWith("WaitStarted"))).toHaveLength(2);
  });

  it("starts every item of a large unbounded map before suspending", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map("many", Array.from({ length: 1000 }, (_, i) => i), async (c, i) => {
        await c.wait({ seconds: 1 + (i % 3) });
        return i;
      });
      return result.successCount;
    });
    expect(run.result).toBe(1000);
    const lines = eventLines(run.history);
    const firstInvocation = lines.slice(0, lines.indexOf("InvocationCompleted"));
    expect(firstInvocation.filter((l) => l.startsWith("WaitStarted"))).toHaveLength(1000);
  });

  it("completes an empty map at once with ALL_COMPLETED", async () => {
    const run = await runLocal(async (_e, ctx) => snapshot(await ctx.map("none", [], async () => 1)));
    expect(run.result).toEqual({ reason: "ALL_COMPLETED", status: "SUCCEEDED", counts: [0, 0, 0, 0], items: [] });
    expect(eventLines(run.history).filter((l) => l.startsWith("Context"))).toEqual(["ContextStarted 1 none", "ContextSucceeded 1 none"]);
  });

  it("rejects invalid configs before anything is written", async () => {
    const cases: [string, (ctx: import("../../types/context.js").DurableContext) => Promise<unknown>][] = [
      ["maxConcurrency", (ctx) => ctx.map([1], async () => 1, { maxConcurrency: 0 })],
      ["minSuccessful", (ctx) => ctx.map([1, 2], async () => 1, { completionConfig: minSuccessful(3) })],
      ["toleratedFailurePercentage", (ctx) => ctx.parallel([async () => 1], { completionConfig: { toleratedFailurePercentage: 101 } })],
      ["toleratedFailureCount", (ctx) => ctx.parallel([async () => 1], { completionConfig: { toleratedFailureCount: -1 } })],
    ];
    for (const [field, call] of cases) {
      const run = await runLocal(async (_e, ctx) => {
        try {
          await call(ctx);
          return "accepted";
        } catch (error) {
          return { validation: error instanceof ValidationError, message: (error as Error).message };
        }
      });
      expect(run.result).toEqual({ validation: true, message: expect.stringContaining(field) });
      expect(run.history.filter((e) => e.EventType.startsWith("Context"))).toEqual([]);
    }
  });

  it("keeps failed items' errors as ChildContextError with the cause chain", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.parallel([
        async (c) => c.runInChildContext("inner", async (cc) => cc.step(async () => { throw new SyntaxError("nested"); }, { retryStrategy: retryPresets.noRetry })),
      ]);
      const error = result.getErrors()[0];
      return {
        isChild: error instanceof ChildContextError,
        chain: [error?.errorType, (error?.cause as ChildContextError)?.errorType, ((error?.cause as Error)?.cause as { errorType?: string })?.errorType, (((error?.cause as Error)?.cause as Error)?.cause as Error | undefined)?.name],
        status: result.all[0]?.status,
      };
    });
    expect(run.result).toEqual({ isChild: true, chain: ["ChildContextError", "ChildContextError", "StepError", "SyntaxError"], status: BatchItemStatus.FAILED });
  });

  it("runs item functions that are not async: a synchronous throw fails that item only, a plain value is its result", async () => {
    const items = [1, 2, 3];
    const run = await runLocal(async (_e, ctx) => {
      const mapped = await ctx.map(
        "plain",
        items,
        (_c, n) => {
          if (n === 2) throw new RangeError(`no ${n}`);
          // A handler written in JavaScript may return a plain value.
          return (n === 1 ? Promise.resolve(n * 10) : n * 10) as Promise<number>;
        },
        { completionConfig: { toleratedFailureCount: 1 } },
      );
      await ctx.wait({ seconds: 1 });
      return snapshot(mapped);
    });
    expect(run.invocations.length).toBeGreaterThan(1);
    expect(run.result).toEqual({
      reason: "ALL_COMPLETED",
      status: "FAILED",
      counts: [2, 1, 0, 3],
      items: [
        { index: 0, status: BatchItemStatus.SUCCEEDED, result: 10, error: undefined },
        { index: 1, status: BatchItemStatus.FAILED, result: undefined, error: ["ChildContextError", "no 2", "RangeError"] },
        { index: 2, status: BatchItemStatus.SUCCEEDED, result: 30, error: undefined },
      ],
    });
    // Each item's context ended as it ran: the throw checkpointed a FAIL, the values a SUCCEED.
    const lines = eventLines(run.history).filter((l) => l.includes("Context"));
    expect(lines.filter((l) => l.startsWith("ContextSucceeded")).length).toBe(3);
    expect(lines.filter((l) => l.startsWith("ContextFailed")).length).toBe(1);
  });

  it("wakes items whose replayed waits end while another item's step runs, each with nothing", async () => {
    const ended: unknown[] = [];
    let waitsOver!: () => void;
    const over = new Promise<void>((resolve) => (waitsOver = resolve));
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map("mixed", [0, 1, 2, 3], async (c, n) => {
        if (n === 0) {
          // Suspends the first invocation; in the next, its step runs until the other items' waits end.
          await c.wait({ seconds: 1 });
          return c.step("long", async () => {
            await over;
            return "stepped";
          });
        }
        const value = await c.wait({ seconds: 2 + n });
        ended.push(value);
        if (ended.length === 3) waitsOver();
        return `waited ${n}`;
      });
      return result.getResults();
    });
    expect(run.result).toEqual(["stepped", "waited 1", "waited 2", "waited 3"]);
    // The second invocation replayed the three waits still open and saw them end, each with undefined.
    expect(run.invocations).toHaveLength(2);
    expect(ended).toEqual([undefined, undefined, undefined]);
  });

  it("applies custom serdes to the whole result and to each item", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.map("up", ["x", "y"], async (_c, s) => s.toUpperCase(), {
        itemSerdes: { serialize: async (v) => `item:${v}`, deserialize: async (d) => d?.slice(5) },
      });
      return result.getResults();
    });
    expect(run.result).toEqual(["X", "Y"]);
    const payloads = run.history.filter((e) => e.EventType === "ContextSucceeded" && e.SubType === "MapIteration").map((e) => e.ContextSucceededDetails?.Result?.Payload);
    expect(payloads).toEqual(["item:X", "item:Y"]);
  });

  it("completes on completeBatch with the outcome it names, and goes on on continueBatch", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const quorumLost = await ctx.map("votes", [1, -1, -2, 3], async (c, vote) => c.step(async () => {
        if (vote < 0) throw new Error(`against ${vote}`);
        return vote;
      }, { retryStrategy: retryPresets.noRetry }), {
        maxConcurrency: 1,
        completionConfig: { shouldComplete: (s) => (s.failureCount >= 2 ? completeBatch(CompletionOutcome.FAILED) : continueBatch()) },
      });
      const enough = await ctx.map("enough", [1, 2, 3], async (_c, n) => n, {
        maxConcurrency: 1,
        completionConfig: { shouldComplete: (s) => (s.successCount >= 2 ? completeBatch() : continueBatch()) },
      });
      return {
        quorumLost: [quorumLost.completionReason, quorumLost.status, quorumLost.successCount, quorumLost.failureCount],
        enough: [enough.completionReason, enough.status, enough.getResults()],
      };
    });
    expect(run.result).toEqual({
      quorumLost: ["CUSTOM_COMPLETION_FAILED", "FAILED", 1, 2],
      enough: ["CUSTOM_COMPLETION_SUCCEEDED", "SUCCEEDED", [1, 2]],
    });
    expect(continueBatch()).toEqual({ complete: false });
    expect(completeBatch()).toEqual({ complete: true, outcome: CompletionOutcome.SUCCEEDED });
  });

  it("asks shouldComplete before anything starts: a guard that declines runs no item, on replay too", async () => {
    let ran = 0;
    const asked: number[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const declined = await ctx.parallel(
        "guarded",
        [async (b) => b.step(async () => ++ran), async (b) => b.step(async () => ++ran)],
        {
          completionConfig: {
            shouldComplete: (s) => {
              asked.push(s.completedCount);
              return s.totalCount > 1 ? completeBatch(CompletionOutcome.FAILED) : continueBatch();
            },
          },
        },
      );
      await ctx.wait("after", { seconds: 1 });
      return [declined.completionReason, declined.status, declined.totalCount, declined.startedCount];
    });
    expect(run.result).toEqual(["CUSTOM_COMPLETION_FAILED", "FAILED", 0, 0]);
    expect(ran).toBe(0);
    expect(run.invocations.length).toBeGreaterThan(1);
    expect(asked.every((n) => n === 0)).toBe(true);
    expect(run.history.filter((e) => e.SubType === "ParallelBranch")).toEqual([]);
  });
});
