import { describe, expect, it } from "vitest";
import { ChildContextError, StepError } from "../errors/durable-errors.js";
import { ValidationError } from "../errors/validation-error.js";
import { runLocal } from "../test-support/run-local.js";
import type { DurableContext } from "../types/context.js";
import { JitterStrategy } from "../types/step.js";
import { createRetryStrategy } from "./retry-strategy.js";
import { withRetry, type WithRetryConfig } from "./with-retry.js";

/** A step that fails (no retries of its own) until attempt `succeedAt`. */
const charge = (succeedAt: number, bodies: number[]) => async (ctx: DurableContext, attempt: number) =>
  ctx.step(
    `charge-${attempt}`,
    async () => {
      bodies.push(attempt);
      if (attempt < succeedAt) throw new Error(`declined on attempt ${attempt}`);
      return `paid on attempt ${attempt}`;
    },
    { retryStrategy: () => ({ shouldRetry: false }) },
  );

const threeTimes = (seconds: number): WithRetryConfig<string> => ({
  retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 3, delay: { seconds } }),
});

/** `parent > TYPE name STATUS` of every operation but the execution's, in stored order. */
const tree = (operations: { Id: string; ParentId?: string; Type?: string; Name?: string; Status?: string }[]) => {
  const names = new Map(operations.map((op) => [op.Id, op.Name ?? op.Id]));
  return operations
    .filter((op) => op.Type !== "EXECUTION")
    .map((op) => `${op.ParentId === undefined ? "" : `${names.get(op.ParentId)} > `}${op.Type} ${op.Name ?? "-"} ${op.Status}`);
};

describe("withRetry", () => {
  it("runs the function again after durable waits until an attempt succeeds, all inside one child context", async () => {
    const bodies: number[] = [];
    const run = await runLocal(async (_event, ctx) => withRetry(ctx, "pay", charge(3, bodies), threeTimes(5)));
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.result).toBe("paid on attempt 3");
    // Each attempt's body ran once: the failed ones replay their failure from the checkpoint.
    expect(bodies).toEqual([1, 2, 3]);
    expect(tree(run.operations)).toEqual([
      "CONTEXT pay SUCCEEDED",
      "pay > STEP charge-1 FAILED",
      "pay > WAIT pay-backoff-1 SUCCEEDED",
      "pay > STEP charge-2 FAILED",
      "pay > WAIT pay-backoff-2 SUCCEEDED",
      "pay > STEP charge-3 SUCCEEDED",
    ]);
    const wait = run.operations.find((op) => op.Name === "pay-backoff-1");
    expect(wait?.WaitDetails?.ScheduledEndTimestamp?.getTime()).toBe((wait?.StartTimestamp?.getTime() ?? 0) + 5000);
  });

  it("fails with a ChildContextError carrying the last attempt's error once the strategy stops", async () => {
    const bodies: number[] = [];
    const run = await runLocal(async (_event, ctx) => {
      try {
        return await withRetry(ctx, "pay", charge(10, bodies), threeTimes(1));
      } catch (error) {
        const cause = (error as Error).cause as Error;
        return { child: error instanceof ChildContextError, cause: cause instanceof StepError, message: cause.message };
      }
    });
    expect(run.result).toEqual({ child: true, cause: true, message: "declined on attempt 3" });
    expect(bodies).toEqual([1, 2, 3]);
    expect(tree(run.operations).filter((line) => line.includes("WAIT"))).toEqual(["pay > WAIT pay-backoff-1 SUCCEEDED", "pay > WAIT pay-backoff-2 SUCCEEDED"]);
  });

  it("without the child context runs in the caller's context and rethrows the error itself", async () => {
    const run = await runLocal(async (_event, ctx) => {
      try {
        return await withRetry(ctx, charge(10, []), { ...threeTimes(1), wrapWithRunInChildContext: false });
      } catch (error) {
        return { step: error instanceof StepError, message: (error as Error).message };
      }
    });
    expect(run.result).toEqual({ step: true, message: "declined on attempt 3" });
    // Unnamed: no context, anonymous waits beside the attempts.
    expect(tree(run.operations)).toEqual([
      "STEP charge-1 FAILED",
      "WAIT - SUCCEEDED",
      "STEP charge-2 FAILED",
      "WAIT - SUCCEEDED",
      "STEP charge-3 FAILED",
    ]);
  });

  it("waits 1 second when the strategy gives no delay, and hands the strategy each error and attempt", async () => {
    const seen: string[] = [];
    const run = await runLocal(async (_event, ctx) =>
      withRetry(ctx, charge(2, []), {
        retryStrategy: (error, attempt) => {
          seen.push(`${attempt}: ${error.message}`);
          return { shouldRetry: true };
        },
      }),
    );
    expect(run.result).toBe("paid on attempt 2");
    // Called on the first run and again on the replay after the wait, with the replayed error.
    expect(new Set(seen)).toEqual(new Set(["1: declined on attempt 1"]));
    const wait = run.operations.find((op) => op.Type === "WAIT");
    expect(wait?.WaitDetails?.ScheduledEndTimestamp?.getTime()).toBe((wait?.StartTimestamp?.getTime() ?? 0) + 1000);
    expect(tree(run.operations)[0]).toBe("CONTEXT - SUCCEEDED");
  });

  it("retries durable code a step body cannot hold: waits inside the attempt", async () => {
    const run = await runLocal(async (_event, ctx) =>
      withRetry(
        ctx,
        "approval",
        async (child, attempt) => {
          await child.wait(`cool-off-${attempt}`, { seconds: 2 });
          if (attempt === 1) throw new Error("first answer lost");
          return child.step("decide", async () => `approved after ${attempt} attempts`);
        },
        { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 3 }, jitter: JitterStrategy.NONE }) },
      ),
    );
    expect(run.result).toBe("approved after 2 attempts");
    expect(tree(run.operations)).toEqual([
      "CONTEXT approval SUCCEEDED",
      "approval > WAIT cool-off-1 SUCCEEDED",
      "approval > WAIT approval-backoff-1 SUCCEEDED",
      "approval > WAIT cool-off-2 SUCCEEDED",
      "approval > STEP decide SUCCEEDED",
    ]);
  });

  it("names a strategy that returns no decision, and fails there", async () => {
    const run = await runLocal(async (_event, ctx) => {
      try {
        return await withRetry(ctx, "pay", charge(3, []), { retryStrategy: () => undefined as never, wrapWithRunInChildContext: false });
      } catch (error) {
        return [error instanceof ValidationError, (error as Error).message];
      }
    });
    expect(run.result).toEqual([true, 'withRetry "pay": retryStrategy must return { shouldRetry, delay? } (got undefined after attempt 1).']);
  });

  it("rejects a missing config, strategy or function before anything is checkpointed", async () => {
    const bad: [string, (ctx: DurableContext) => Promise<unknown>][] = [
      ["config is required", (ctx) => (withRetry as (...args: unknown[]) => Promise<unknown>)(ctx, "x", async () => 1)],
      ["retryStrategy must be a function", (ctx) => withRetry(ctx, async () => 1, {} as WithRetryConfig<number>)],
      ["pass the function to retry", (ctx) => (withRetry as (...args: unknown[]) => Promise<unknown>)(ctx, "x", undefined, threeTimes(1))],
    ];
    for (const [message, call] of bad) {
      const run = await runLocal(async (_event, ctx) => {
        try {
          await call(ctx);
          return "no error";
        } catch (error) {
          return { validation: error instanceof ValidationError, message: (error as Error).message };
        }
      });
      expect(run.result).toEqual({ validation: true, message: expect.stringContaining(message) });
      expect(tree(run.operations)).toEqual([]);
    }
  });
});
