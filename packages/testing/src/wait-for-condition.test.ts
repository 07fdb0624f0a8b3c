import {
  JitterStrategy,
  ValidationError,
  WaitForConditionError,
  createWaitStrategy,
  withDurableExecution,
  type WaitForConditionConfig,
} from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner, type CheckpointFaultInfo } from "./index.js";

/** A job whose status turns "done" on the `doneAt`-th look; counts every look (check run). */
function job(doneAt: number) {
  const looks: { state: number; attempt: number }[] = [];
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    return ctx.waitForCondition(
      "poll-job",
      async (state: { looks: number; status: string }, { attempt }) => {
        looks.push({ state: state.looks, attempt });
        const n = state.looks + 1;
        return { looks: n, status: n >= doneAt ? "done" : "running" };
      },
      {
        initialState: { looks: 0, status: "submitted" },
        waitStrategy: createWaitStrategy({
          shouldContinuePolling: (s) => s.status !== "done",
          initialDelay: { seconds: 2 },
          backoffRate: 2,
          maxDelay: { seconds: 5 },
          jitter: JitterStrategy.NONE,
          maxAttempts: 10,
        }),
      },
    );
  });
  return { handler, looks };
}

const isRetry = (info: CheckpointFaultInfo) => info.updates.some((u) => u.Action === "RETRY");

describe("waitForCondition on the local runner", () => {
  it("threads the state through checks, suspends between them with backoff, and returns the final state", async () => {
    const { handler, looks } = job(4);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const result = await runner.run();

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ looks: 4, status: "done" });
    expect(looks).toEqual([
      { state: 0, attempt: 1 },
      { state: 1, attempt: 2 },
      { state: 2, attempt: 3 },
      { state: 3, attempt: 4 },
    ]);
    // One invocation per check: the execution suspends while it waits.
    expect(result.getInvocations()).toHaveLength(4);
    const delays = result
      .getHistoryEvents()
      .filter((e) => e.EventType === "StepSucceeded")
      .map((e) => e.StepSucceededDetails?.RetryDetails?.NextAttemptDelaySeconds);
    // 2 s, doubling, capped at 5 s; the last check stops (no delay).
    expect(delays).toEqual([2, 4, 5, undefined]);
    const op = runner.getOperation("poll-job");
    expect(op.getStepDetails()?.attempt).toBe(4);
  });

  it("fails with WaitForConditionError once maxAttempts checks found the condition unmet, never with partial state", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      try {
        return await ctx.waitForCondition(async (n: number) => n + 1, {
          initialState: 0,
          waitStrategy: createWaitStrategy({ shouldContinuePolling: () => true, maxAttempts: 3, jitter: JitterStrategy.NONE }),
        });
      } catch (error) {
        const e = error as WaitForConditionError;
        return { caught: e.name, message: e.message, cause: e.cause?.name, isConditionError: error instanceof WaitForConditionError };
      }
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({
      caught: "WaitForConditionError",
      message: expect.stringMatching(/gave up after 3 checks.*Raise maxAttempts/),
      cause: "WaitStrategyExhaustedError",
      isConditionError: true,
    });
    const events = result.getHistoryEvents().map((e) => e.EventType);
    expect(events.filter((t) => t === "StepStarted")).toHaveLength(3);
    expect(events.filter((t) => t === "StepFailed")).toHaveLength(1);
  });

  it("a throwing check fails the operation at once (no retries) and the error is the same on replay", async () => {
    let checks = 0;
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const outcome = await ctx
        .waitForCondition(
          "flaky",
          async (): Promise<number> => {
            checks++;
            const error = new TypeError("status endpoint returned 500");
            (error as TypeError & { errorData?: string }).errorData = "req-17";
            throw error;
          },
          { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) },
        )
        .catch((error: unknown) => {
          const e = error as WaitForConditionError;
          return { name: e.name, message: e.message, data: e.errorData, cause: e.cause?.name };
        });
      await ctx.wait({ seconds: 1 }); // forces a replay of the failed operation
      return outcome;
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(checks).toBe(1);
    expect(result.getResult()).toEqual({ name: "WaitForConditionError", message: "status endpoint returned 500", data: "req-17", cause: "TypeError" });
  });

  it("resumes from the checkpointed state after a crash right after a progress checkpoint", async () => {
    const { handler, looks } = job(3);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    // Crash after the first RETRY (the state after check 1) is stored.
    const result = await runner.run({ faults: { crashWhen: (i) => i.phase === "after" && isRetry(i) } });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getResult()).toEqual({ looks: 3, status: "done" });
    // The stored state survives: no check is repeated.
    expect(looks.map((l) => l.state)).toEqual([0, 1, 2]);
    expect(looks.map((l) => l.attempt)).toEqual([1, 2, 3]);
  });

  it("re-runs only the interrupted check when its outcome was lost, from the state that check started with", async () => {
    const { handler, looks } = job(3);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    // The second check runs, then the process dies before its RETRY is stored.
    let retries = 0;
    const result = await runner.run({
      faults: { crashWhen: (i) => i.phase === "before" && isRetry(i) && ++retries === 2 },
    });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ looks: 3, status: "done" });
    // Check 2 ran twice (its outcome was lost), both times from state 1 and as attempt 2.
    expect(looks).toEqual([
      { state: 0, attempt: 1 },
      { state: 1, attempt: 2 },
      { state: 1, attempt: 2 },
      { state: 2, attempt: 3 },
    ]);
  });

  it("a crash before the first check's outcome is stored restarts from the initial state", async () => {
    const { handler, looks } = job(2);
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run({
      faults: { crashBeforeCompletion: "poll-job" },
    });
    expect(result.getResult()).toEqual({ looks: 2, status: "done" });
    expect(looks).toEqual([
      { state: 0, attempt: 1 },
      { state: 0, attempt: 1 },
      { state: 1, attempt: 2 },
    ]);
  });

  it("rejects bad arguments before anything is written", async () => {
    const cases: [string, (ctx: Parameters<Parameters<typeof withDurableExecution>[0]>[1]) => Promise<unknown>, RegExp][] = [
      ["no config", (ctx) => ctx.waitForCondition(async (s: number) => s, undefined as unknown as WaitForConditionConfig<number>), /config is required/],
      ["no strategy", (ctx) => ctx.waitForCondition("x", async (s: number) => s, { initialState: 0 } as WaitForConditionConfig<number>), /waitStrategy must be a function/],
      ["undefined initial state", (ctx) => ctx.waitForCondition(async (s: number) => s, { initialState: undefined as unknown as number, waitStrategy: () => ({ shouldContinue: false }) }), /initialState is required/],
    ];
    for (const [label, call, message] of cases) {
      const handler = withDurableExecution(async (_e: unknown, ctx) => {
        try {
          await call(ctx);
          return "no error";
        } catch (error) {
          return { validation: error instanceof ValidationError, message: (error as Error).message };
        }
      });
      const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
      expect(result.getResult(), label).toEqual({ validation: true, message: expect.stringMatching(message) });
      expect(result.getOperations(), label).toHaveLength(0);
    }
  });

  it("fails the operation, saying why, when a strategy asks for an impossible delay", async () => {
    const handler = withDurableExecution(async (_e: unknown, ctx) =>
      ctx.waitForCondition("odd", async (s: number) => s + 1, {
        initialState: 0,
        waitStrategy: () => ({ shouldContinue: true, delay: { seconds: 0.5 } }),
      }),
    );
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/wait strategy of waitForCondition "odd".*whole number of seconds/);
  });
});
