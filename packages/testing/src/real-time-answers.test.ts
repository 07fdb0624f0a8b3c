// Skipped time with a test that answers callbacks from its own body in real time, as tests
// written for the AWS testing runner do (its callbacks run in real time even under skipTime).
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext } from "@cairn/sdk";
import { LocalDurableTestRunner, WaitingOperationStatus, type TestResult } from "./index.js";

const heartbeating = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
  const [result] = await ctx.createCallback("long-running-task", { heartbeatTimeout: { seconds: 1 } });
  return { longTaskResult: await result };
});

const answered = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
  const [result] = await ctx.createCallback("approval", { timeout: { seconds: 1 } });
  try {
    return { approved: await result };
  } catch (error) {
    return { failed: (error as Error).name };
  }
});

const hourLong = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
  const [result] = await ctx.createCallback("approval", { timeout: { hours: 1 } });
  await ctx.wait("after", { minutes: 5 });
  try {
    return { approved: await result };
  } catch (error) {
    return { failed: (error as Error).name };
  }
});

const types = (result: TestResult): string[] => result.getHistoryEvents().map((e) => e.EventType);

/** Fails with a message instead of hanging when the run never ends. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise,
      sleep(ms, undefined, { signal: timer.signal }).then(() => {
        throw new Error(`${what} did not finish within ${ms} ms`);
      }),
    ]);
  } finally {
    timer.abort();
  }
}

async function heartbeatThenAnswer(skipTime: boolean): Promise<TestResult> {
  const runner = new LocalDurableTestRunner({ handlerFunction: heartbeating, skipTime });
  const running = runner.run();
  const op = runner.getOperation("long-running-task");
  await op.waitForData(WaitingOperationStatus.STARTED);
  // Three heartbeats 500 ms apart keep a 1 s heartbeat timeout from firing for 1.5 s.
  for (let i = 0; i < 3; i++) {
    await sleep(500);
    await op.sendCallbackHeartbeat();
  }
  await op.sendCallbackSuccess("done");
  return running;
}

describe("skipped time with callbacks answered from the test in real time", () => {
  it("heartbeats sent every 500 ms keep a callback with a 1 s heartbeat timeout alive until it is answered", async () => {
    const result = await heartbeatThenAnswer(true);
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ longTaskResult: "done" });
    expect(types(result)).not.toContain("CallbackTimedOut");
  }, 10_000);

  it("gives the same history, event for event, as the same test in real time", async () => {
    const [skipped, real] = await Promise.all([heartbeatThenAnswer(true), heartbeatThenAnswer(false)]);
    expect(types(skipped)).toEqual(types(real));
    expect(types(skipped)).toEqual([
      "ExecutionStarted",
      "CallbackStarted",
      "InvocationCompleted",
      "CallbackSucceeded",
      "InvocationCompleted",
      "ExecutionSucceeded",
    ]);
    expect(skipped.getInvocations()).toHaveLength(real.getInvocations().length);
  }, 10_000);

  it("an answer sent 200 ms after the callback started arrives before its 1 s timeout", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: answered, skipTime: true });
    const running = runner.run();
    const op = runner.getOperation("approval");
    await op.waitForData();
    const sent = sleep(200).then(() => op.sendCallbackSuccess("yes"));
    const result = await running;
    await sent;
    expect(result.getResult()).toEqual({ approved: "yes" });
  }, 10_000);

  it("a handle taken mid-run is enough: an answer sent from a timer lands without waitForData", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: hourLong, skipTime: true });
    const running = runner.run();
    const op = runner.getOperation("approval");
    const sent = sleep(200).then(() => op.sendCallbackSuccess("yes"));
    const result = await running;
    await sent;
    expect(result.getResult()).toEqual({ approved: "yes" });
    // Answered while the five-minute wait was pending, as in real time; the wait then skipped.
    expect(types(result).filter((t) => t !== "InvocationCompleted")).toEqual([
      "ExecutionStarted",
      "CallbackStarted",
      "WaitStarted",
      "CallbackSucceeded",
      "WaitSucceeded",
      "ExecutionSucceeded",
    ]);
  }, 10_000);

  it("once the test has been quiet for the grace, time jumps: an unanswered callback times out at its deadline", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: hourLong, skipTime: true });
    const running = runner.run();
    await runner.getOperation("approval").waitForData();
    const result = await within(running, 5_000, "the run whose callback nobody answers");
    expect(result.getResult()).toEqual({ failed: "CallbackTimeoutError" });
    const events = result.getHistoryEvents();
    const started = events.find((e) => e.EventType === "CallbackStarted")!;
    const timedOut = events.find((e) => e.EventType === "CallbackTimedOut")!;
    expect(timedOut.EventTimestamp.getTime() - started.EventTimestamp.getTime()).toBe(3_600_000);
  }, 10_000);

  it("a test that never touches the run skips straight to the timeout", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: answered, skipTime: true });
    const result = await within(runner.run(), 5_000, "the run nobody answers");
    expect(result.getResult()).toEqual({ failed: "CallbackTimeoutError" });
    // No real time passed into the run: the timeout fired exactly at its deadline, 1 s after the start.
    const events = result.getHistoryEvents();
    const started = events.find((e) => e.EventType === "ExecutionStarted")!;
    const timedOut = events.find((e) => e.EventType === "CallbackTimedOut")!;
    expect(timedOut.EventTimestamp.getTime() - started.EventTimestamp.getTime()).toBe(1_000);
  }, 10_000);
});

describe("default payloads", () => {
  const echo = withDurableExecution(async (event: unknown) => ({ event: event === undefined ? "undefined" : event }));

  it.each([
    ["run()", undefined, {}],
    ["run({})", {}, {}],
    ["run({ payload: undefined })", { payload: undefined }, {}],
    ["run({ payload: null })", { payload: null }, null],
  ])("%s hands the handler what the AWS runner does", async (_label, request, expected) => {
    const runner = new LocalDurableTestRunner({ handlerFunction: echo, skipTime: true });
    const result = await runner.run(request);
    expect(result.getResult()).toEqual({ event: expected });
    const started = result.getHistoryEvents().find((e) => e.EventType === "ExecutionStarted");
    expect(started?.ExecutionStartedDetails?.Input?.Payload).toBe(JSON.stringify(expected));
  });

  it("ctx.invoke without input hands durable and plain targets {}, and stores no payload", async () => {
    const parent = withDurableExecution(async (_event: unknown, ctx: DurableContext) => ({
      durable: await ctx.invoke("durable-target"),
      plain: await ctx.invoke("plain-target"),
    }));
    const runner = new LocalDurableTestRunner({ handlerFunction: parent, skipTime: true });
    runner.registerDurableFunction("durable-target", echo);
    runner.registerFunction("plain-target", async (event: unknown) => ({ event: event === undefined ? "undefined" : event }));
    const result = await runner.run();
    expect(result.getResult()).toEqual({ durable: { event: {} }, plain: { event: {} } });
    const invokes = result.getHistoryEvents().filter((e) => e.EventType === "ChainedInvokeStarted");
    expect(invokes).toHaveLength(2);
    for (const event of invokes) expect(event.ChainedInvokeStartedDetails?.Input?.Payload).toBeUndefined();
  });
});
