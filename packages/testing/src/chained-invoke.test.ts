import { InvokeError, withDurableExecution, type HistoryEvent } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner, type CheckpointFaultInfo } from "./index.js";

/** A durable target that waits `seconds`, then returns its input doubled; counts its real runs. */
function sleeper(seconds: number) {
  const runs = { bodies: 0 };
  const handler = withDurableExecution(async (event: { n: number }, ctx) => {
    await ctx.wait({ seconds });
    return ctx.step("double", async () => {
      runs.bodies++;
      return event.n * 2;
    });
  });
  return { handler, runs };
}

const startsOf = (info: CheckpointFaultInfo) => info.updates.some((u) => u.Type === "CHAINED_INVOKE" && u.Action === "START");
const at = (events: HistoryEvent[], type: string, id?: string) =>
  events.find((e) => e.EventType === type && (id === undefined || e.Id === id))?.EventTimestamp.getTime();

describe("ctx.invoke on the local runner", () => {
  it("runs a registered durable target as its own execution and resumes the caller with its result", async () => {
    const target = sleeper(30);
    const handler = withDurableExecution(async (event: { n: number }, ctx) => ctx.invoke<{ n: number }, number>("double-it", "doubler", event));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("doubler", target.handler);

    const result = await runner.run({ payload: { n: 21 } });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toBe(42);
    expect(target.runs.bodies).toBe(1);
    // Suspended while the target ran, woken once when it finished.
    expect(result.getInvocations()).toHaveLength(2);
    const op = runner.getOperation("double-it");
    expect(op.getChainedInvokeDetails()?.result).toBe(42);
    const events = result.getHistoryEvents();
    const started = events.find((e) => e.EventType === "ChainedInvokeStarted");
    expect(started?.ChainedInvokeStartedDetails).toMatchObject({
      FunctionName: "doubler",
      Input: { Payload: '{"n":21}' },
      ExecutedVersion: "$LATEST",
      DurableExecutionArn: expect.stringMatching(/^arn:cairn:local:execution\/.+\.invoke-1\/[0-9A-Z]{26}$/),
    });
    // Skipped time is shared: the invoke finished when the target's 30 s wait was over.
    expect(at(events, "ChainedInvokeSucceeded")! - at(events, "ChainedInvokeStarted")!).toBe(30_000);
  });

  it("calls a registered plain function with the parsed input and uses its JSON result", async () => {
    const calls: unknown[] = [];
    const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.invoke("lookup", { sku: "A-1", qty: 2 }));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerFunction("lookup", async (event: { sku: string; qty: number }) => {
      calls.push(event);
      return { sku: event.sku, price: 9.5 * event.qty };
    });
    const result = await runner.run();
    expect(result.getResult()).toEqual({ sku: "A-1", price: 19 });
    expect(calls).toEqual([{ sku: "A-1", qty: 2 }]);
  });

  it("surfaces a failed target as InvokeError keeping the target's error type, message and data, also on replay", async () => {
    let targetRuns = 0;
    const failing = withDurableExecution(async () => {
      targetRuns++;
      const error = new RangeError("card declined");
      (error as RangeError & { errorData?: string }).errorData = '{"code":"51"}';
      throw error;
    });
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const seen = await ctx.invoke("charge", {}).then(
        () => "no error",
        (error: unknown) => {
          const e = error as InvokeError;
          return { invokeError: e instanceof InvokeError, message: e.message, data: e.errorData, cause: e.cause?.name };
        },
      );
      await ctx.wait({ seconds: 5 }); // the next invocation replays the failed invoke
      return seen;
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("charge", failing);
    const result = await runner.run();
    expect(result.getResult()).toEqual({ invokeError: true, message: "card declined", data: '{"code":"51"}', cause: "RangeError" });
    expect(targetRuns).toBe(1);
    expect(result.getInvocations()).toHaveLength(3);
    expect(result.getHistoryEvents().filter((e) => e.EventType === "ChainedInvokeFailed")).toHaveLength(1);
  });

  it("fails the invoke with an error naming the unknown function id and how to register it", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.invoke("billing:prod", { id: 1 }));
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(result.getStatus()).toBe("FAILED");
    const error = result.getError();
    expect(error.errorType).toBe("InvokeError");
    expect(error.errorMessage).toMatch(/No function is registered under the id "billing:prod"/);
    expect(error.errorMessage).toMatch(/registerDurableFunction\("billing:prod", handler\)/);
  });

  it("rejects a bad function id before anything is written", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.invoke("", {}).catch((e: unknown) => `${(e as Error).name}: ${(e as Error).message}`));
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(result.getResult()).toMatch(/^ValidationError: invoke: the function id must be a non-empty string/);
    expect(result.getOperations()).toHaveLength(0);
  });

  it("chains: a durable target may itself invoke registered functions", async () => {
    const inner = withDurableExecution(async (event: string, ctx) => {
      await ctx.wait({ seconds: 2 });
      return `${event}!`;
    });
    const middle = withDurableExecution(async (event: string, ctx) => ctx.invoke("inner", "inner", event.toUpperCase()));
    const handler = withDurableExecution(async (event: string, ctx) => ctx.invoke("middle", "middle", event));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true })
      .registerDurableFunction("middle", middle)
      .registerDurableFunction("inner", inner);
    const result = await runner.run({ payload: "hi" });
    expect(result.getResult()).toBe("HI!");
  });

  it("never starts a target twice when the caller crashes right after the invoke's START was stored", async () => {
    const target = sleeper(10);
    const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.invoke("t", { n: 4 }));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("t", target.handler);
    const result = await runner.run({ faults: { crashWhen: (i) => i.phase === "after" && startsOf(i) } });
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getResult()).toBe(8);
    expect(target.runs.bodies).toBe(1);
    expect(result.getHistoryEvents().filter((e) => e.EventType === "ChainedInvokeStarted")).toHaveLength(1);
  });

  it("starts the target once when the caller crashed before the START was stored", async () => {
    const target = sleeper(10);
    const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.invoke("t", { n: 5 }));
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("t", target.handler);
    const result = await runner.run({ faults: { crashWhen: (i) => i.phase === "before" && startsOf(i) } });
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getResult()).toBe(10);
    expect(target.runs.bodies).toBe(1);
    expect(result.getHistoryEvents().filter((e) => e.EventType === "ChainedInvokeStarted")).toHaveLength(1);
  });

  it("replays a finished invoke from its checkpoint when the caller crashes after seeing the result", async () => {
    const target = sleeper(1);
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const doubled = await ctx.invoke<{ n: number }, number>("t", { n: 3 });
      return ctx.step("after", async () => doubled + 1);
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("t", target.handler);
    const result = await runner.run({ faults: { crashAfterStart: "after" } });
    expect(result.getResult()).toBe(7);
    expect(target.runs.bodies).toBe(1);
    expect(result.getInjectedCrashCount()).toBe(1);
  });

  it("fan-out: a parallel of invokes suspends while all are blocked and resumes as each target finishes", async () => {
    const fast = sleeper(5);
    const medium = sleeper(10);
    const slow = sleeper(20);
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const batch = await ctx.parallel("fan-out", [
        (c) => c.invoke<{ n: number }, number>("slow", { n: 3 }),
        (c) => c.invoke<{ n: number }, number>("fast", { n: 1 }),
        (c) => c.invoke<{ n: number }, number>("medium", { n: 2 }),
      ]);
      return batch.getResults();
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true })
      .registerDurableFunction("fast", fast.handler)
      .registerDurableFunction("medium", medium.handler)
      .registerDurableFunction("slow", slow.handler);

    const result = await runner.run();

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual([6, 2, 4]);
    expect([fast.runs.bodies, medium.runs.bodies, slow.runs.bodies]).toEqual([1, 1, 1]);
    // One invocation starts all three, then one per target as it finishes (the last completes).
    expect(result.getInvocations()).toHaveLength(4);
    const events = result.getHistoryEvents();
    const order = events.filter((e) => e.EventType === "ChainedInvokeSucceeded").map((e) => e.Id);
    expect(order).toEqual(["1-2-1", "1-3-1", "1-1-1"]);
    const t0 = at(events, "ExecutionStarted")!;
    expect(events.filter((e) => e.EventType === "ChainedInvokeSucceeded").map((e) => e.EventTimestamp.getTime() - t0)).toEqual([
      5_000, 10_000, 20_000,
    ]);
    // Between the wake-ups the caller was suspended: each invocation after the first begins when a target finished.
    const completions = events.filter((e) => e.EventType === "InvocationCompleted").map((e) => e.InvocationCompletedDetails?.StartTimestamp?.getTime() ?? 0);
    expect(completions.map((t) => t - t0)).toEqual([0, 5_000, 10_000, 20_000]);
  });

  it("shares skipped time with targets: the caller's own 3 s wait ends before a 5 s target finishes", async () => {
    const target = sleeper(5);
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const [waited, doubled] = (
        await ctx.parallel([
          async (c) => {
            await c.wait("short", { seconds: 3 });
            return -1;
          },
          (c) => c.invoke<{ n: number }, number>("t", { n: 7 }),
        ])
      ).getResults();
      return { waited, doubled };
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("t", target.handler);
    const result = await runner.run();
    expect(result.getResult()).toEqual({ waited: -1, doubled: 14 });
    const events = result.getHistoryEvents();
    const t0 = at(events, "ExecutionStarted")!;
    expect(at(events, "WaitSucceeded")! - t0).toBe(3_000);
    expect(at(events, "ChainedInvokeSucceeded")! - t0).toBe(5_000);
  });

  it("validates registrations", () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: withDurableExecution(async () => null) });
    expect(() => runner.registerFunction("", async () => 1)).toThrow(/functionName must be a non-empty string/);
    expect(() => runner.registerDurableFunction("x", undefined as never)).toThrow(/the handler must be a function/);
  });
});
