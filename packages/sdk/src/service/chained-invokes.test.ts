import { describe, expect, it } from "vitest";
import { InvocationStatus, type DurableExecutionInvocationOutput } from "../protocol/invocation.js";
import type { OperationUpdate } from "../protocol/wire.js";
import { planCompleteChainedInvoke, pendingChainedInvokesOf } from "./chained-invokes.js";
import { ExecutionClosedError, InvalidCheckpointError, InvalidRequestError } from "./errors.js";
import { applyMutation } from "./execution-record.js";
import { CoreHarness, EXECUTION_ID, at, step } from "./test-support/core-fixtures.js";
import { planEndInvocation } from "./invocation-lifecycle.js";
import { planFireDueTimers } from "./timers.js";
import { wakeAtOf } from "./wake.js";

const invoke = (id: string, functionName: string | undefined, extra: Partial<OperationUpdate> = {}): OperationUpdate => ({
  Id: id,
  Type: "CHAINED_INVOKE",
  SubType: "ChainedInvoke",
  Action: "START",
  ChainedInvokeOptions: { FunctionName: functionName },
  ...extra,
});

/** Ends the running invocation with `Status` (PENDING: suspended). */
function end(core: CoreHarness, status: "PENDING" | "SUCCEEDED" = "PENDING"): void {
  const output: DurableExecutionInvocationOutput =
    status === "PENDING" ? { Status: InvocationStatus.PENDING } : { Status: InvocationStatus.SUCCEEDED, Result: "null" };
  applyMutation(core.record, planEndInvocation(core.record, core.ticket!, { kind: "returned", output }, core.ctx(0)));
}

function started(): CoreHarness {
  const core = new CoreHarness();
  core.begin();
  core.checkpoint([invoke("1", "billing", { Name: "charge", Payload: '{"amount":5}', ChainedInvokeOptions: { FunctionName: "billing", TenantId: "t-1" } })]);
  return core;
}

describe("chained invokes in the service core", () => {
  it("START records the target, its input and tenant, and reserves the target's execution", () => {
    const core = started();
    const event = core.record.history!.at(-1);
    expect(event?.EventType).toBe("ChainedInvokeStarted");
    expect(event?.ChainedInvokeStartedDetails).toEqual({
      FunctionName: "billing",
      TenantId: "t-1",
      Input: { Payload: '{"amount":5}', Truncated: false },
      ExecutedVersion: "$LATEST",
      DurableExecutionArn: expect.stringMatching(new RegExp(`^arn:cairn:local:execution/${EXECUTION_ID}\\.invoke-1/[0-9A-Z]{26}$`)),
    });
    expect(pendingChainedInvokesOf(core.record)).toEqual([
      {
        operationId: "1",
        functionName: "billing",
        input: '{"amount":5}',
        tenantId: "t-1",
        targetExecutionArn: event?.ChainedInvokeStartedDetails?.DurableExecutionArn,
        targetExecutionName: `${EXECUTION_ID}.invoke-1`,
        targetExecutionId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      },
    ]);
  });

  it("START is rejected without a function name, with an empty tenant, or twice", () => {
    const core = new CoreHarness();
    core.begin();
    expect(() => core.checkpoint([invoke("1", undefined)])).toThrow(InvalidCheckpointError);
    expect(() => core.checkpoint([invoke("1", "f", { ChainedInvokeOptions: { FunctionName: "f", TenantId: "" } })])).toThrow(/TenantId/);
    core.checkpoint([invoke("1", "f")]);
    expect(() => core.checkpoint([invoke("1", "f")])).toThrow(/already exists/);
  });

  it("a success completes the operation, records ChainedInvokeSucceeded and requests a wake-up", () => {
    const core = started();
    end(core);
    expect(wakeAtOf(core.record)).toBeUndefined();
    applyMutation(core.record, planCompleteChainedInvoke(core.record, "1", { status: "SUCCEEDED", result: '"ok"' }, core.ctx(7)));
    const op = core.op("1");
    expect(op).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: at(7), ChainedInvokeDetails: { Result: '"ok"' }, Name: "charge" });
    expect(core.record.history!.at(-1)).toMatchObject({
      EventType: "ChainedInvokeSucceeded",
      Id: "1",
      Name: "charge",
      SubType: "ChainedInvoke",
      ChainedInvokeSucceededDetails: { Result: { Payload: '"ok"' } },
    });
    expect(core.record.wakePending).toBe(true);
    expect(wakeAtOf(core.record)).toEqual(core.record.summary.startTimestamp);
    expect(pendingChainedInvokesOf(core.record)).toEqual([]);
  });

  it.each([
    ["FAILED", "ChainedInvokeFailed", "ChainedInvokeFailedDetails"],
    ["TIMED_OUT", "ChainedInvokeTimedOut", "ChainedInvokeTimedOutDetails"],
    ["STOPPED", "ChainedInvokeStopped", "ChainedInvokeStoppedDetails"],
  ] as const)("%s keeps the target's error and records %s", (status, eventType, detailsKey) => {
    const core = started();
    const error = { ErrorType: "RangeError", ErrorMessage: "declined", ErrorData: "{}" };
    applyMutation(core.record, planCompleteChainedInvoke(core.record, "1", { status, error }, core.ctx(3)));
    expect(core.op("1")).toMatchObject({ Status: status, ChainedInvokeDetails: { Error: error } });
    const event = core.record.history!.at(-1);
    expect(event?.EventType).toBe(eventType);
    expect(event?.[detailsKey]).toEqual({ Error: { Payload: error, Truncated: false } });
  });

  it("rejects completing an unknown operation, a non-invoke, a finished invoke, a bad status, or a closed execution", () => {
    const core = started();
    core.checkpoint([step("2", "START")]);
    expect(() => planCompleteChainedInvoke(core.record, "9", { status: "SUCCEEDED" }, core.ctx(1))).toThrow(/has no chained invoke "9"/);
    expect(() => planCompleteChainedInvoke(core.record, "2", { status: "SUCCEEDED" }, core.ctx(1))).toThrow(/is a STEP/);
    expect(() =>
      planCompleteChainedInvoke(core.record, "1", { status: "DONE" } as unknown as { status: "SUCCEEDED" }, core.ctx(1)),
    ).toThrow(InvalidRequestError);
    applyMutation(core.record, planCompleteChainedInvoke(core.record, "1", { status: "SUCCEEDED" }, core.ctx(1)));
    expect(() => planCompleteChainedInvoke(core.record, "1", { status: "FAILED" }, core.ctx(2))).toThrow(/already SUCCEEDED; it completes only once/);
    end(core, "SUCCEEDED");
    expect(() => planCompleteChainedInvoke(core.record, "1", { status: "FAILED" }, core.ctx(2))).toThrow(ExecutionClosedError);
  });
});

describe("progress retries (waitForCondition) in the service core", () => {
  const poll = (action: OperationUpdate["Action"], extra: Partial<OperationUpdate> = {}) =>
    step("1", action, { SubType: "WaitForCondition", ...extra });

  it("a RETRY without an error records StepSucceeded with the state and the delay, and keeps the state for the next attempt", () => {
    const core = new CoreHarness();
    core.begin();
    core.checkpoint([poll("START"), poll("RETRY", { Payload: "1", StepOptions: { NextAttemptDelaySeconds: 4 } })]);
    expect(core.op("1")).toMatchObject({ Status: "PENDING", StepDetails: { Attempt: 1, Result: "1", NextAttemptTimestamp: at(4) } });
    expect(core.record.history!.at(-1)).toMatchObject({
      EventType: "StepSucceeded",
      SubType: "WaitForCondition",
      StepSucceededDetails: { Result: { Payload: "1" }, RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 4 } },
    });
    applyMutation(core.record, planFireDueTimers(core.record, core.ctx(4)).mutation!);
    expect(core.op("1")?.Status).toBe("READY");
    core.checkpoint([poll("START")], 4);
    // The next attempt starts with the state the last one stored.
    expect(core.op("1")).toMatchObject({ Status: "STARTED", StepDetails: { Attempt: 2, Result: "1" } });
  });

  it("a RETRY with an error is still a failed attempt (StepFailed)", () => {
    const core = new CoreHarness();
    core.begin();
    core.checkpoint([step("1", "START"), step("1", "RETRY", { Error: { ErrorMessage: "x" }, StepOptions: { NextAttemptDelaySeconds: 1 } })]);
    expect(core.record.history!.at(-1)?.EventType).toBe("StepFailed");
    expect(core.op("1")?.StepDetails?.Result).toBeUndefined();
  });
});
