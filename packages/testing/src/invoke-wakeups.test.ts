// A callback answered while a chained invoke's target still runs wakes the caller at once: it
// does not wait for the target to finish or for its own next timer.
import { withDurableExecution } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner, WaitingOperationStatus } from "./index.js";

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A few turns of the event loop: enough for the run to finish reacting to what just happened. */
async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Waits on a callback and an invoke in parallel; records each step the caller gets to. */
function caller(progress: string[], afterApproval: () => void) {
  return withDurableExecution(async (_event: unknown, ctx) => {
    const [answer] = await ctx.createCallback<string>("approval");
    const invoked = ctx.invoke<unknown, string>("slow-job", "slow", {}); // starts now; awaited last
    const approved = await answer;
    await ctx.step("after-approval", async () => {
      progress.push(`approved ${approved}`);
      afterApproval();
    });
    const job = await invoked;
    await ctx.step("after-job", async () => void progress.push(`job ${job}`));
    return { approved, job };
  });
}

describe("wake-ups while a chained invoke's target runs", () => {
  it("real time: the caller carries on with the answer while the target sleeps on a 1-hour timer", async () => {
    const progress: string[] = [];
    const targetWaiting = deferred();
    const progressed = deferred();
    const target = withDurableExecution(async (_event: unknown, ctx) => {
      await ctx.step("mark", async () => targetWaiting.resolve());
      await ctx.wait("long-timer", { hours: 1 });
      return "done";
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: caller(progress, progressed.resolve), skipTime: false })
      .registerDurableFunction("slow", target);
    const stop = new AbortController();
    const running = runner.run({ signal: stop.signal });

    const approval = await runner.getOperation("approval").waitForData(WaitingOperationStatus.STARTED);
    await targetWaiting.promise;
    await approval.sendCallbackSuccess("yes");
    // Without the wake-up this would wait for the target's hour (the test would time out).
    await progressed.promise;
    stop.abort();
    const result = await running;

    expect(progress).toEqual(["approved yes"]);
    expect(result.getStatus()).toBe("RUNNING"); // stopped by the test, the target never finished
    expect(runner.getOperation("slow-job").getChainedInvokeDetails()?.result).toBeUndefined();
    const events = result.getHistoryEvents().map((e) => `${e.EventType} ${e.Name ?? ""}`.trim());
    expect(events).toContain("StepSucceeded after-approval");
    expect(events).not.toContain("ChainedInvokeSucceeded slow-job");
  });

  it("skipped time: the answer is seen while a plain target still runs, and the run then finishes", async () => {
    const progress: string[] = [];
    const targetCalled = deferred();
    const release = deferred<string>();
    const runner = new LocalDurableTestRunner({
      handlerFunction: caller(progress, () => undefined),
      skipTime: true,
    }).registerFunction("slow", async () => {
      targetCalled.resolve();
      return release.promise; // holds (skipped) time still until the test lets it finish
    });
    const running = runner.run();

    const approval = await runner.getOperation("approval").waitForData(WaitingOperationStatus.STARTED);
    await targetCalled.promise;
    await settled(); // let the run go back to waiting (on the target) before the answer comes
    await approval.sendCallbackSuccess("yes");
    await runner.getOperation("after-approval").waitForData(WaitingOperationStatus.COMPLETED);
    expect(progress).toEqual(["approved yes"]); // the target has not returned yet
    release.resolve("job-42");
    const result = await running;

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ approved: "yes", job: "job-42" });
    expect(progress).toEqual(["approved yes", "job job-42"]);
    // Invocation 1 suspended, 2 ran on the answer, 3 on the target's result.
    expect(result.getInvocations()).toHaveLength(3);
  });
});
