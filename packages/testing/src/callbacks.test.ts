import {
  CallbackError,
  CallbackExternalError,
  CallbackSubmitterError,
  CallbackTimeoutError,
  createRetryStrategy,
  withDurableExecution,
  type HistoryEvent,
} from "@cairn/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { ExecutionStatus, LocalDurableTestRunner, WaitingOperationStatus } from "./index.js";

afterEach(async () => {
  await LocalDurableTestRunner.teardownTestEnvironment();
});

const types = (events: readonly HistoryEvent[]) => events.map((e) => e.EventType);

const approval = withDurableExecution(async (_event: unknown, ctx) => {
  const [result, callbackId] = await ctx.createCallback("approval", { timeout: { hours: 1 } });
  await ctx.step("notify", async () => callbackId.length);
  try {
    return { approved: true, by: await result };
  } catch (error) {
    if (error instanceof CallbackTimeoutError) return { approved: false, why: "timeout", cause: (error.cause as Error).name };
    if (error instanceof CallbackExternalError) return { approved: false, why: error.message, cause: (error.cause as Error).name };
    throw error;
  }
});

describe.each([true, false])("callbacks through the runner (skipTime %s)", (skipTime) => {
  it("parks until a test sends the result, then resumes with it", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: approval, skipTime });
    const running = runner.run();
    const op = await runner.getOperation("approval").waitForData();
    expect(op.getCallbackDetails()?.callbackId).toMatch(/^[0-9A-Z]{26}\.1\.[A-Za-z0-9_-]{22}$/);
    await runner.getOperation("notify").waitForData(WaitingOperationStatus.COMPLETED);
    await op.sendCallbackSuccess("alice");
    const result = await running;
    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({ approved: true, by: "alice" });
    // The result may arrive while the first invocation is still ending: either way it takes one more.
    expect(result.getInvocations()).toHaveLength(2);
    expect(types(result.getHistoryEvents()).filter((t) => t !== "InvocationCompleted")).toEqual([
      "ExecutionStarted",
      "CallbackStarted",
      "StepStarted",
      "StepSucceeded",
      "CallbackSucceeded",
      "ExecutionSucceeded",
    ]);
    await expect(op.sendCallbackSuccess("again")).rejects.toThrow(/already SUCCEEDED|already/);
  });

  it("hands an external failure to the handler as a catchable CallbackExternalError", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: approval, skipTime });
    const running = runner.run();
    const op = await runner.getOperation("approval").waitForData();
    await op.sendCallbackFailure({ ErrorType: "RejectedError", ErrorMessage: "not approved" });
    const result = await running;
    expect(result.getResult()).toEqual({ approved: false, why: "not approved", cause: "RejectedError" });
  });
});

describe("callback errors, built as the AWS SDK builds them", () => {
  const describeFailure = withDurableExecution(async (_event: unknown, ctx) => {
    const [result] = await ctx.createCallback("answer", { timeout: { minutes: 5 } });
    try {
      return await result;
    } catch (error) {
      const failure = error as Error & { errorData?: string; cause?: Error };
      return {
        class: failure.constructor.name,
        message: failure.message,
        errorData: failure.errorData ?? null,
        cause: failure.cause ? { name: failure.cause.name, message: failure.cause.message, stack: failure.cause.stack ?? null } : null,
      };
    }
  });

  it("a failure sent with its stack: the recorded message, and a cause whose stack is the frames sent", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: describeFailure, skipTime: true });
    const running = runner.run();
    const op = await runner.getOperation("answer").waitForData();
    const frames = ["PaymentDeclined: card declined", "    at charge (payments.js:42:11)"];
    await op.sendCallbackFailure({ ErrorType: "PaymentDeclined", ErrorMessage: "card declined", ErrorData: '{"code":51}', StackTrace: frames });
    expect((await running).getResult()).toEqual({
      class: "CallbackExternalError",
      message: "card declined",
      errorData: '{"code":51}',
      cause: { name: "PaymentDeclined", message: "card declined", stack: frames.join("\n") },
    });
  });

  it("a failure sent without an error is recorded as an empty one and reads 'Callback failed'", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: describeFailure, skipTime: true });
    const running = runner.run();
    const op = await runner.getOperation("answer").waitForData();
    await op.sendCallbackFailure();
    const result = await running;
    expect(result.getResult()).toEqual({
      class: "CallbackExternalError",
      message: "Callback failed",
      errorData: null,
      cause: { name: "Error", message: "", stack: null },
    });
    expect(runner.getOperation("answer").getCallbackDetails()?.error).toStrictEqual({
      errorData: undefined,
      errorMessage: undefined,
      errorType: undefined,
      stackTrace: undefined,
    });
  });

  it("a timeout reads 'Callback timed out', its cause named Callback.Timeout", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: describeFailure, skipTime: true });
    expect((await runner.run()).getResult()).toEqual({
      class: "CallbackTimeoutError",
      message: "Callback timed out",
      errorData: null,
      cause: { name: "Callback.Timeout", message: "Callback timed out", stack: null },
    });
    expect(runner.getOperation("answer").getCallbackDetails()?.error?.errorMessage).toBe("Callback timed out");
  });
});

describe("callback timeouts in skipped time", () => {
  it("a callback nobody answers times out at once, as Callback.Timeout", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: approval, skipTime: true });
    const result = await runner.run();
    expect(result.getResult()).toEqual({ approved: false, why: "timeout", cause: "Callback.Timeout" });
    const timedOut = result.getHistoryEvents().find((e) => e.EventType === "CallbackTimedOut");
    const started = result.getHistoryEvents().find((e) => e.EventType === "CallbackStarted");
    expect(timedOut!.EventTimestamp.getTime() - started!.EventTimestamp.getTime()).toBe(3_600_000);
  });

  it("heartbeats keep a callback alive past its heartbeat timeout; silence then times it out", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const [result] = await ctx.createCallback("job", { heartbeatTimeout: { minutes: 1 } });
      try {
        return await result;
      } catch (error) {
        return `${(error as Error).name}:${((error as Error).cause as Error).name}`;
      }
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const running = runner.run();
    const op = await runner.getOperation("job").waitForData();
    for (let i = 0; i < 3; i++) {
      await runner.sleep({ seconds: 50 });
      await op.sendCallbackHeartbeat();
    }
    const result = await running;
    expect(result.getResult()).toBe("CallbackTimeoutError:Callback.Heartbeat");
    const events = result.getHistoryEvents();
    const started = events.find((e) => e.EventType === "CallbackStarted")!;
    const timedOut = events.find((e) => e.EventType === "CallbackTimedOut")!;
    // Three heartbeats 50 s apart, then 60 s of silence.
    expect(timedOut.EventTimestamp.getTime() - started.EventTimestamp.getTime()).toBe(210_000);
    // Heartbeats write no history and wake nothing: one invocation before the timeout, one after.
    expect(result.getInvocations()).toHaveLength(2);
  });

  it("a callback answered during a wait is seen once the wait is over", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const [result] = await ctx.createCallback("cb");
      await ctx.wait("pause", { seconds: 30 });
      return result;
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const running = runner.run();
    const op = await runner.getOperation("cb").waitForData();
    await runner.sleep({ seconds: 10 });
    await op.sendCallbackSuccess("early");
    const result = await running;
    expect(result.getResult()).toBe("early");
    expect(types(result.getHistoryEvents()).filter((t) => t !== "InvocationCompleted")).toEqual([
      "ExecutionStarted",
      "CallbackStarted",
      "WaitStarted",
      "CallbackSucceeded",
      "WaitSucceeded",
      "ExecutionSucceeded",
    ]);
    expect(result.getInvocations()).toHaveLength(3);
  });
});

describe("waitForCallback", () => {
  it("runs the submitter with the callback id and returns the deserialized result", async () => {
    const submitted: string[] = [];
    const handler = withDurableExecution(async (_event: unknown, ctx) =>
      ctx.waitForCallback<{ ok: boolean }>(
        "approve",
        async (callbackId) => {
          submitted.push(callbackId);
        },
        { serdes: { deserialize: async (data) => JSON.parse(data ?? "null") as { ok: boolean } } },
      ),
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const running = runner.run();
    const op = await runner.getOperation("approve").waitForData(WaitingOperationStatus.SUBMITTED);
    expect(op.isWaitForCallback()).toBe(true);
    await op.sendCallbackSuccess('{"ok":true}');
    const result = await running;
    expect(result.getResult()).toEqual({ ok: true });
    // The submitter ran once; the replay took its checkpoint.
    expect(submitted).toEqual([op.getCallbackDetails()?.callbackId]);
  });

  it("fails with CallbackSubmitterError once the submitter's retries are spent, without waiting for the timeout", async () => {
    let attempts = 0;
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      try {
        await ctx.waitForCallback(
          "approve",
          async () => {
            attempts++;
            throw new Error("queue unavailable");
          },
          { timeout: { days: 1 }, retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 } }) },
        );
        return "approved";
      } catch (error) {
        return [error instanceof CallbackError, error instanceof CallbackSubmitterError, (error as Error).message];
      }
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(attempts).toBe(3);
    expect(result.getResult()).toEqual([true, true, expect.stringContaining("queue unavailable")]);
    expect(result.getHistoryEvents().some((e) => e.EventType === "CallbackTimedOut")).toBe(false);
  });

  it("rejects bad configuration before anything is written", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const errors: string[] = [];
      for (const attempt of [
        () => ctx.waitForCallback("a", undefined as never),
        () => ctx.waitForCallback("b", async () => undefined, { timeout: { seconds: 0 } }),
        () => ctx.createCallback("c", { heartbeatTimeout: { seconds: 1.5 } }),
        () => ctx.createCallback("d", { serdes: {} as never }),
      ]) {
        await attempt().then(
          () => errors.push("no error"),
          (e: unknown) => errors.push(`${(e as Error).name}: ${(e as Error).message}`),
        );
      }
      return errors;
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(result.getResult()).toEqual([
      expect.stringMatching(/^ValidationError: waitForCallback "a": the submitter function is missing/),
      expect.stringMatching(/^ValidationError: waitForCallback "b" timeout must be at least 1 second/),
      expect.stringMatching(/^ValidationError: createCallback "c" heartbeatTimeout must be a whole number/),
      expect.stringMatching(/^ValidationError: createCallback "d": serdes must be an object with a deserialize/),
    ]);
    expect(result.getOperations()).toHaveLength(0);
  });
});

describe.each([true, false])("a map of waitForCallback items (skipTime %s)", (skipTime) => {
  it("suspends once every item is blocked and resumes as soon as any callback is answered", async () => {
    const items = ["a", "b", "c"];
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const results = await ctx.map(
        "approvals",
        items,
        (item, name) => item.waitForCallback(`approve-${name}`, async () => undefined, { timeout: { hours: 1 } }),
      );
      return results.getResults();
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime });
    const running = runner.run();
    // Out of order, one at a time: each answer is seen by the next invocation, none waits for the hour.
    for (const name of ["b", "c", "a"]) {
      const op = await runner.getOperation(`approve-${name}`).waitForData(WaitingOperationStatus.SUBMITTED);
      await op.sendCallbackSuccess(`ok-${name}`);
      await runner.getOperation(`approve-${name}`).waitForData(WaitingOperationStatus.COMPLETED);
    }
    const result = await running;
    expect(result.getResult()).toEqual(["ok-a", "ok-b", "ok-c"]);
    // The first invocation blocks on all three. An answer is seen by the invocation still running
    // when it arrives (in a checkpoint response, as on AWS) or else by the next one: at most one
    // invocation per answer.
    expect(result.getInvocations().length).toBeGreaterThanOrEqual(2);
    expect(result.getInvocations().length).toBeLessThanOrEqual(4);
    const events = result.getHistoryEvents();
    expect(events.filter((e) => e.EventType === "CallbackTimedOut")).toHaveLength(0);
    const started = events.find((e) => e.EventType === "ExecutionStarted")!.EventTimestamp.getTime();
    const ended = events.at(-1)!.EventTimestamp.getTime();
    // Nothing waited for the hour-long timeouts. (In skipped time, time runs at real speed while
    // the test answers, so a few milliseconds pass there too.)
    expect(ended - started).toBeLessThan(10_000);
  }, 20_000);
});
