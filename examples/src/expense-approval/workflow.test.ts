import { withDurableExecution } from "@cairn/sdk";
import { LocalDurableTestRunner, WaitingOperationStatus } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { createApprovalWorkflow, type ApprovalOutcome, type ApprovalServices, type ExpenseClaim } from "./workflow.js";

const claim: ExpenseClaim = { claimId: "c-7", employee: "ada", amountCents: 4200 };

function recordingServices() {
  const calls = { requested: [] as string[], paid: 0, escalated: [] as string[] };
  const services: ApprovalServices = {
    requestApproval: async (_claim, callbackId) => void calls.requested.push(callbackId),
    pay: async (c) => {
      calls.paid++;
      return { paymentId: `pay-${c.claimId}` };
    },
    escalate: async (_claim, why) => void calls.escalated.push(why),
  };
  return { calls, services };
}

const runnerFor = (services: ApprovalServices) =>
  new LocalDurableTestRunner<ApprovalOutcome>({
    handlerFunction: withDurableExecution(createApprovalWorkflow(services)),
    skipTime: true,
  });

describe("expense approval (waitForCallback with heartbeat and timeout)", () => {
  it("pays once the approver approves, after heartbeats kept the claim open", async () => {
    const { calls, services } = recordingServices();
    const runner = runnerFor(services);
    const running = runner.run({ payload: claim });
    const approval = await runner.getOperation("approval").waitForData(WaitingOperationStatus.SUBMITTED);
    // The approver looks at it for two and a half hours, heartbeating every 50 minutes.
    for (let i = 0; i < 3; i++) {
      await runner.sleep({ minutes: 50 });
      await approval.sendCallbackHeartbeat();
    }
    await approval.sendCallbackSuccess(JSON.stringify({ approver: "grace" }));
    const result = await running;
    expect(result.getResult()).toEqual({ status: "PAID", claimId: "c-7", approver: "grace", paymentId: "pay-c-7" });
    expect(calls).toEqual({ requested: [approval.getCallbackDetails()?.callbackId], paid: 1, escalated: [] });
    expect(result.getInvocations()).toHaveLength(2);
  });

  it("reports a rejection with the approver's reason", async () => {
    const { calls, services } = recordingServices();
    const runner = runnerFor(services);
    const running = runner.run({ payload: claim });
    const approval = await runner.getOperation("approval").waitForData(WaitingOperationStatus.SUBMITTED);
    await approval.sendCallbackFailure({ ErrorType: "Rejected", ErrorMessage: "receipt missing" });
    expect((await running).getResult()).toEqual({ status: "REJECTED", claimId: "c-7", reason: "receipt missing" });
    expect(calls.paid).toBe(0);
  });

  it("escalates a claim nobody answers within a day", async () => {
    const { calls, services } = recordingServices();
    const runner = runnerFor(services);
    const running = runner.run({ payload: claim });
    const approval = await runner.getOperation("approval").waitForData(WaitingOperationStatus.SUBMITTED);
    // Heartbeats every 55 minutes keep it alive, but nobody decides within the day.
    for (let i = 0; i < 26; i++) {
      await runner.sleep({ minutes: 55 });
      await approval.sendCallbackHeartbeat();
    }
    const result = await running;
    expect(result.getResult()).toEqual({ status: "ESCALATED", claimId: "c-7", why: "no answer" });
    expect(calls.escalated).toEqual(["no answer"]);
  });

  it("escalates when the approver goes silent for an hour", async () => {
    const { calls, services } = recordingServices();
    const result = await runnerFor(services).run({ payload: claim });
    expect(result.getResult()).toEqual({ status: "ESCALATED", claimId: "c-7", why: "approver went silent" });
    expect(calls.escalated).toEqual(["approver went silent"]);
  });

  it("survives crashes around the callback: one request, one callback, one payment", async () => {
    const { calls, services } = recordingServices();
    const runner = runnerFor(services);
    // Crash once the callback is stored (before the approver was asked), and again once the
    // request went out; each time the next invocation resumes from the checkpoints.
    const running = runner.run({
      payload: claim,
      faults: {
        crashWhen: ({ phase, updates }) => phase === "after" && updates.some((u) => u.Type === "CALLBACK" || (u.Type === "STEP" && u.Action === "SUCCEED")),
      },
    });
    const approval = await runner.getOperation("approval").waitForData(WaitingOperationStatus.SUBMITTED);
    await approval.sendCallbackSuccess(JSON.stringify({ approver: "grace" }));
    const result = await running;
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getResult()).toEqual({ status: "PAID", claimId: "c-7", approver: "grace", paymentId: "pay-c-7" });
    // The callback created before the crash is the one the approver answered; it was never re-created.
    expect(result.getHistoryEvents().filter((e) => e.EventType === "CallbackStarted")).toHaveLength(1);
    expect(calls.requested.every((id) => id === approval.getCallbackDetails()?.callbackId)).toBe(true);
    expect(calls.paid).toBe(1);
  });

  it("resumes after every possible crash point with the same outcome", async () => {
    for (let crashAt = 1; crashAt <= 4; crashAt++) {
      const { calls, services } = recordingServices();
      const runner = runnerFor(services);
      const running = runner.run({ payload: claim, faults: { crashAfterCheckpoint: crashAt } });
      const approval = await runner.getOperation("approval").waitForData(WaitingOperationStatus.SUBMITTED);
      await approval.sendCallbackSuccess(JSON.stringify({ approver: "grace" }));
      const result = await running;
      expect(result.getResult(), `crash after checkpoint ${crashAt}`).toMatchObject({ status: "PAID", approver: "grace" });
      expect(result.getHistoryEvents().filter((e) => e.EventType === "CallbackStarted")).toHaveLength(1);
      expect(new Set(calls.requested).size).toBe(1);
      expect(calls.paid).toBeLessThanOrEqual(2); // at-least-once: a crash right after "pay" ran may repeat it
    }
  });
});
