import { describe, expect, it } from "vitest";
import type { OperationUpdate } from "../protocol/wire.js";
import { makeCallbackId, parseCallbackId } from "./callback-ids.js";
import { planCallbackCompletion, validateCompletion, type CallbackCompletion } from "./callbacks.js";
import {
  CallbackAlreadyCompletedError,
  CallbackNotFoundError,
  ExecutionClosedError,
  InvalidCallbackIdError,
  InvalidRequestError,
} from "./errors.js";
import { applyMutation } from "./execution-record.js";
import { planEndInvocation } from "./invocation-lifecycle.js";
import { InvocationStatus } from "../protocol/invocation.js";
import { at, CoreHarness, EXECUTION_ID } from "./test-support/core-fixtures.js";
import { nextTimerOf, planFireDueTimers } from "./timers.js";
import { wakeAtOf } from "./wake.js";

const callback = (id: string, options?: { timeout?: number; heartbeat?: number }, extra: Partial<OperationUpdate> = {}): OperationUpdate => ({
  Id: id,
  Type: "CALLBACK",
  SubType: "Callback",
  Action: "START",
  ...(options ? { CallbackOptions: { TimeoutSeconds: options.timeout, HeartbeatTimeoutSeconds: options.heartbeat } } : {}),
  ...extra,
});

/** A record with callback "1" started at t=0 by an invocation that then suspended. */
function suspendedOnCallback(options?: { timeout?: number; heartbeat?: number }): { h: CoreHarness; id: string } {
  const h = new CoreHarness();
  h.begin();
  h.checkpoint([callback("1", options)]);
  applyMutation(h.record, planEndInvocation(h.record, h.ticket!, { kind: "returned", output: { Status: InvocationStatus.PENDING } }, h.ctx(0)));
  return { h, id: h.op("1")!.CallbackDetails!.CallbackId! };
}

function complete(h: CoreHarness, id: string, completion: CallbackCompletion, seconds: number) {
  const plan = planCallbackCompletion(h.record, id, completion, h.ctx(seconds));
  if (plan.mutation) applyMutation(h.record, plan.mutation);
  return plan;
}

describe("callback ids", () => {
  it("embed the execution and operation beside the secret, and route back to them", () => {
    const { h, id } = suspendedOnCallback();
    expect(id.split(".")).toEqual([EXECUTION_ID, "1", expect.stringMatching(/^cb\d+$/)]);
    expect(parseCallbackId(id)).toEqual({ executionId: EXECUTION_ID, operationId: "1" });
    expect(h.record.history!.at(-2)).toMatchObject({ EventType: "CallbackStarted", CallbackStartedDetails: { CallbackId: id } });
  });

  it.each([
    ["", "non-empty"],
    ["just-random", "<executionId>.<operationId>.<secret>"],
    [`${EXECUTION_ID}.1`, "<executionId>.<operationId>.<secret>"],
    [`${EXECUTION_ID}.x.secret`, "characters"],
    [`${EXECUTION_ID}.1.se/cret`, "characters"],
    [`${EXECUTION_ID}.1.secret.more`, "<executionId>.<operationId>.<secret>"],
    ["a".repeat(600), "longer than"],
  ])("rejects the malformed id %j", (bad, reason) => {
    expect(() => parseCallbackId(bad)).toThrow(InvalidCallbackIdError);
    expect(() => parseCallbackId(bad)).toThrow(reason);
  });
});

describe("completing callbacks", () => {
  it("success stores the payload, emits CallbackSucceeded and requests a wake-up", () => {
    const { h, id } = suspendedOnCallback();
    expect(wakeAtOf(h.record)).toBeUndefined();
    complete(h, id, { kind: "success", payload: '"approved"' }, 4);
    expect(h.op("1")).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: at(4), CallbackDetails: { CallbackId: id, Result: '"approved"' } });
    expect(h.record.history!.at(-1)).toMatchObject({
      EventType: "CallbackSucceeded",
      SubType: "Callback",
      Id: "1",
      EventTimestamp: at(4),
      CallbackSucceededDetails: { Result: { Payload: '"approved"' } },
    });
    expect(h.record.wakePending).toBe(true);
    expect(wakeAtOf(h.record)).toEqual(at(0));
    // The next invocation sees it and clears the wake-up.
    h.begin(5);
    expect(h.record.wakePending).toBe(false);
  });

  it("failure stores the error as sent and emits CallbackFailed", () => {
    const { h, id } = suspendedOnCallback({ timeout: 60 });
    complete(h, id, { kind: "failure", error: { ErrorType: "RejectedError", ErrorMessage: "not approved" } }, 2);
    expect(h.op("1")).toMatchObject({ Status: "FAILED", CallbackDetails: { Error: { ErrorType: "RejectedError", ErrorMessage: "not approved" } } });
    expect(h.op("1")?.CallbackDetails?.Deadlines).toBeUndefined();
    expect(h.record.history!.at(-1)).toMatchObject({
      EventType: "CallbackFailed",
      CallbackFailedDetails: { Error: { Payload: { ErrorType: "RejectedError", ErrorMessage: "not approved" } } },
    });
    // A completed callback no longer has a timer.
    expect(nextTimerOf(h.record)).toBeUndefined();
  });

  it("refuses a second completion and changes nothing", () => {
    const { h, id } = suspendedOnCallback();
    complete(h, id, { kind: "success", payload: "1" }, 1);
    const seq = h.record.seq;
    for (const completion of [{ kind: "success", payload: "2" }, { kind: "failure" }, { kind: "heartbeat" }] as const) {
      expect(() => planCallbackCompletion(h.record, id, completion, h.ctx(2))).toThrow(CallbackAlreadyCompletedError);
    }
    expect(h.record.seq).toBe(seq);
    expect(h.op("1")?.CallbackDetails?.Result).toBe("1");
  });

  it("refuses ids that do not match a callback of this execution", () => {
    const { h, id } = suspendedOnCallback();
    const secret = id.split(".")[2]!;
    const forged = [
      makeCallbackId(EXECUTION_ID, "1", `${secret}x`), // wrong secret
      makeCallbackId(EXECUTION_ID, "7", secret), // no such operation
      makeCallbackId("01JBBBBBBBBBBBBBBBBBBBBBBB", "1", secret), // another execution
    ];
    for (const bad of forged) {
      expect(() => planCallbackCompletion(h.record, bad, { kind: "success" }, h.ctx(1))).toThrow(CallbackNotFoundError);
    }
    expect(h.op("1")?.Status).toBe("STARTED");
  });

  it("refuses callbacks of a finished execution", () => {
    const h = new CoreHarness();
    h.begin();
    h.checkpoint([callback("1")]);
    const id = h.op("1")!.CallbackDetails!.CallbackId!;
    applyMutation(h.record, planEndInvocation(h.record, h.ticket!, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED } }, h.ctx(1)));
    expect(() => planCallbackCompletion(h.record, id, { kind: "success" }, h.ctx(2))).toThrow(ExecutionClosedError);
  });

  it("validates what the external system sent before anything else", () => {
    expect(() => validateCompletion("x", { kind: "success", payload: 42 as unknown as string })).toThrow(InvalidRequestError);
    expect(() => validateCompletion("x", { kind: "success", payload: "é".repeat(200_000) })).toThrow(/bytes/);
    expect(() => validateCompletion("x", { kind: "failure", error: "boom" as never })).toThrow(/must be an object/);
    expect(() => validateCompletion("x", { kind: "failure", error: { ErrorType: 7 as never } })).toThrow(/ErrorType must be a string/);
    expect(() => validateCompletion("x", { kind: "failure", error: { ErrorType: "E", ErrorMessage: "m" } })).not.toThrow();
  });
});

describe("callback timeouts are timers", () => {
  it("an overall timeout fires CallbackTimedOut with Callback.Timeout", () => {
    const { h } = suspendedOnCallback({ timeout: 3 });
    expect(h.record.history!.find((e) => e.EventType === "CallbackStarted")?.CallbackStartedDetails).toMatchObject({ Timeout: 3 });
    expect(nextTimerOf(h.record)).toEqual(at(3));
    expect(wakeAtOf(h.record)).toEqual(at(3));
    expect(planFireDueTimers(h.record, h.ctx(2)).mutation).toBeUndefined();
    const plan = planFireDueTimers(h.record, h.ctx(3));
    expect(plan.firedOperationIds).toEqual(["1"]);
    applyMutation(h.record, plan.mutation!);
    expect(h.op("1")).toMatchObject({ Status: "TIMED_OUT", EndTimestamp: at(3), CallbackDetails: { Error: { ErrorType: "Callback.Timeout" } } });
    expect(h.record.history!.at(-1)).toMatchObject({
      EventType: "CallbackTimedOut",
      Id: "1",
      CallbackTimedOutDetails: { Error: { Payload: { ErrorType: "Callback.Timeout", ErrorMessage: "Callback timed out" } } },
    });
    expect(nextTimerOf(h.record)).toBeUndefined();
  });

  it("a missed heartbeat fires Callback.Heartbeat; each heartbeat moves the deadline, silently", () => {
    const { h, id } = suspendedOnCallback({ heartbeat: 5, timeout: 100 });
    expect(nextTimerOf(h.record)).toEqual(at(5));
    const events = h.record.eventCount;
    complete(h, id, { kind: "heartbeat" }, 4);
    expect(nextTimerOf(h.record)).toEqual(at(9));
    complete(h, id, { kind: "heartbeat" }, 8);
    expect(nextTimerOf(h.record)).toEqual(at(13));
    expect(h.record.eventCount).toBe(events);
    expect(h.record.wakePending).toBe(false);
    expect(planFireDueTimers(h.record, h.ctx(12)).mutation).toBeUndefined();
    applyMutation(h.record, planFireDueTimers(h.record, h.ctx(13)).mutation!);
    expect(h.record.history!.at(-1)?.CallbackTimedOutDetails?.Error?.Payload?.ErrorType).toBe("Callback.Heartbeat");
    expect(h.record.history!.at(-1)?.CallbackTimedOutDetails?.Error?.Payload?.ErrorMessage).toBe("Callback timed out on heartbeat");
  });

  it("the overall timeout wins when it comes before the heartbeat deadline", () => {
    const { h, id } = suspendedOnCallback({ heartbeat: 5, timeout: 7 });
    complete(h, id, { kind: "heartbeat" }, 4);
    expect(nextTimerOf(h.record)).toEqual(at(7));
    applyMutation(h.record, planFireDueTimers(h.record, h.ctx(7)).mutation!);
    expect(h.op("1")?.CallbackDetails?.Error?.ErrorType).toBe("Callback.Timeout");
  });

  it("a heartbeat for a callback without a heartbeat timeout is accepted and changes nothing", () => {
    const { h, id } = suspendedOnCallback();
    const seq = h.record.seq;
    expect(complete(h, id, { kind: "heartbeat" }, 1).mutation).toBeUndefined();
    expect(h.record.seq).toBe(seq);
  });
});
