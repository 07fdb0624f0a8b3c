// subType on step and callback configs (AWS SDK 2.6): recorded as the operation's SubType.
import { ValidationError, withDurableExecution, type DurableContext } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "./index.js";

describe("subType on step and createCallback", () => {
  it("is recorded on the operation, in its history events, and replays", async () => {
    let bodies = 0;
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      const charged = await ctx.step("charge", async () => ++bodies, { subType: "Payment" });
      const [answer, callbackId] = await ctx.createCallback("approval", { subType: "Approval", timeout: { hours: 1 } });
      await ctx.step("notify", async () => callbackId, { subType: "Notify_1" });
      const answered = await answer;
      await ctx.wait({ seconds: 1 }); // the invocation after it replays every operation above
      return { charged, answer: answered };
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const approval = runner.getOperation("approval");
    const running = runner.run();
    await approval.waitForData();
    await approval.sendCallbackSuccess("yes");
    const result = await running;

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ charged: 1, answer: "yes" });
    expect(bodies).toBe(1);
    expect(result.getInvocations().length).toBeGreaterThan(1); // the step was replayed with its sub-type
    expect(runner.getOperation("charge").getSubType()).toBe("Payment");
    expect(runner.getOperation("charge").getType()).toBe("STEP");
    expect(approval.getSubType()).toBe("Approval");
    expect(approval.isCallback()).toBe(true);
    expect(runner.getOperation("notify").getSubType()).toBe("Notify_1");
    const events = result.getHistoryEvents().filter((e) => e.Name === "charge" || e.Name === "approval");
    expect(events.map((e) => `${e.EventType} ${e.SubType}`)).toEqual([
      "StepStarted Payment",
      "StepSucceeded Payment",
      "CallbackStarted Approval",
      "CallbackSucceeded Approval",
    ]);
  });

  it("defaults to Step and Callback", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      await ctx.step("plain", async () => 1);
      await ctx.createCallback("cb", { timeout: { seconds: 1 } });
      return "ok";
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    await runner.run();
    expect(runner.getOperation("plain").getSubType()).toBe("Step");
    expect(runner.getOperation("cb").getSubType()).toBe("Callback");
  });

  it("rejects a sub-type the service would refuse before anything is written", async () => {
    for (const subType of ["", "has space", "x".repeat(33), 7 as unknown as string]) {
      const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        const outcomes: unknown[] = [];
        for (const call of [() => ctx.step("s", async () => 1, { subType }), () => ctx.createCallback("c", { subType })]) {
          try {
            await call();
            outcomes.push("ran");
          } catch (error) {
            outcomes.push({ validation: error instanceof ValidationError, message: (error as Error).message });
          }
        }
        return outcomes;
      });
      const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
      expect(result.getResult(), JSON.stringify(subType)).toEqual([
        { validation: true, message: expect.stringMatching(/^step "s": subType must be 1 to 32 characters/) },
        { validation: true, message: expect.stringMatching(/^createCallback "c": subType must be 1 to 32 characters/) },
      ]);
      expect(result.getOperations()).toHaveLength(0);
    }
  });

  it("a sub-type changed between replays is a replay mismatch", async () => {
    let invocation = 0;
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      invocation++;
      await ctx.step("charge", async () => 1, { subType: invocation === 1 ? "Payment" : "Refund" });
      await ctx.wait({ seconds: 1 });
      return "done";
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/Replay mismatch at operation 1.*sub-type Payment vs Refund/);
  });
});
