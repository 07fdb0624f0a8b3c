import { describe, expect, it } from "vitest";
import type { OperationAction, OperationType, OperationUpdate } from "../protocol/wire.js";
import { planCheckpoint, VALID_ACTIONS } from "./apply-checkpoint.js";
import { ExecutionClosedError, InvalidCheckpointError, StaleCheckpointTokenError } from "./errors.js";
import { applyMutation, EXECUTION_OPERATION_ID } from "./execution-record.js";
import { planEndInvocation } from "./invocation-lifecycle.js";
import { planFireDueTimers } from "./timers.js";
import { at, context, CoreHarness, step, wait } from "./test-support/core-fixtures.js";

function started(): CoreHarness {
  const h = new CoreHarness();
  h.begin();
  return h;
}

function expectInvalid(fn: () => unknown, pattern: RegExp): InvalidCheckpointError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCheckpointError);
    expect((error as Error).message).toMatch(pattern);
    return error as InvalidCheckpointError;
  }
  throw new Error("expected InvalidCheckpointError");
}

describe("actions per operation type", () => {
  const types: OperationType[] = ["EXECUTION", "CONTEXT", "STEP", "WAIT", "CALLBACK", "CHAINED_INVOKE"];
  const actions: OperationAction[] = ["START", "SUCCEED", "FAIL", "RETRY", "CANCEL"];
  const invalid = types.flatMap((type) =>
    actions.filter((action) => !VALID_ACTIONS[type].includes(action)).map((action) => [type, action] as const),
  );

  it("has the documented table", () => {
    expect(VALID_ACTIONS).toEqual({
      EXECUTION: ["SUCCEED", "FAIL"],
      CONTEXT: ["START", "SUCCEED", "FAIL"],
      STEP: ["START", "SUCCEED", "FAIL", "RETRY"],
      WAIT: ["START", "CANCEL"],
      CALLBACK: ["START"],
      CHAINED_INVOKE: ["START"],
    });
  });

  it.each(invalid)("rejects %s %s", (type, action) => {
    const h = started();
    const err = expectInvalid(() => h.checkpoint([{ Id: "1", Type: type, Action: action }]), new RegExp(`${type} operations accept`));
    expect(err.operationId).toBe("1");
    expect(err.errorType).toBe("InvalidCheckpoint");
  });

  it("rejects unknown types and actions", () => {
    const h = started();
    expectInvalid(() => h.checkpoint([{ Id: "1", Type: "BOGUS" as OperationType, Action: "START" }]), /unknown Type/);
    expectInvalid(() => h.checkpoint([{ Id: "1", Type: "STEP", Action: "JUMP" as OperationAction }]), /unknown Action/);
    expectInvalid(() => h.checkpoint([{ Id: "", Type: "STEP", Action: "START" }]), /Id must be/);
  });
});

describe("step transitions and attempts", () => {
  it("counts attempts across START, RETRY, timer and re-START", () => {
    const h = started();
    h.checkpoint([step("1", "START")], 1);
    expect(h.op("1")).toMatchObject({ Status: "STARTED", StepDetails: { Attempt: 1 } });

    h.checkpoint(
      [step("1", "RETRY", { Error: { ErrorType: "Boom", ErrorMessage: "no" }, StepOptions: { NextAttemptDelaySeconds: 3 } })],
      2,
    );
    const pending = h.op("1");
    expect(pending?.Status).toBe("PENDING");
    expect(pending?.StepDetails?.Attempt).toBe(1);
    expect(pending?.StepDetails?.Error).toEqual({ ErrorType: "Boom", ErrorMessage: "no" });
    expect(pending?.StepDetails?.NextAttemptTimestamp).toEqual(at(5));

    expectInvalid(() => h.checkpoint([step("1", "START")], 3), /PENDING.*retry is due/);

    const fired = planFireDueTimers(h.record, h.ctx(5));
    applyMutation(h.record, fired.mutation!);
    expect(h.op("1")?.Status).toBe("READY");

    h.checkpoint([step("1", "START")], 6);
    expect(h.op("1")).toMatchObject({ Status: "STARTED", StepDetails: { Attempt: 2 } });
    expect(h.op("1")?.StepDetails?.NextAttemptTimestamp).toBeUndefined();

    // Re-run after an interrupted invocation: same attempt.
    h.checkpoint([step("1", "START")], 7);
    expect(h.op("1")?.StepDetails?.Attempt).toBe(2);

    h.checkpoint([step("1", "SUCCEED", { Payload: '"ok"' })], 8);
    expect(h.op("1")).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: at(8), StepDetails: { Attempt: 2, Result: '"ok"' } });
    expect(h.op("1")?.StepDetails?.Error).toBeUndefined();

    const events = h.record.history!.filter((e) => e.Id === "1");
    expect(events.map((e) => e.EventType)).toEqual(["StepStarted", "StepFailed", "StepStarted", "StepStarted", "StepSucceeded"]);
    expect(events[1]?.StepFailedDetails).toEqual({
      Error: { Payload: { ErrorType: "Boom", ErrorMessage: "no" }, Truncated: false },
      RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 3 },
    });
    expect(events[4]?.StepSucceededDetails).toEqual({ Result: { Payload: '"ok"', Truncated: false }, RetryDetails: { CurrentAttempt: 2 } });
  });

  it("stores FAIL errors and emits StepFailed with the current attempt only", () => {
    const h = started();
    h.checkpoint([step("1", "START"), step("1", "FAIL", { Error: { ErrorMessage: "bad" } })]);
    expect(h.op("1")).toMatchObject({ Status: "FAILED", StepDetails: { Attempt: 1, Error: { ErrorMessage: "bad" } } });
    expect(h.record.history!.at(-1)?.StepFailedDetails).toEqual({
      Error: { Payload: { ErrorMessage: "bad" }, Truncated: false },
      RetryDetails: { CurrentAttempt: 1 },
    });
  });

  it("omits Payload when the step result is undefined", () => {
    const h = started();
    h.checkpoint([step("1", "START"), step("1", "SUCCEED")]);
    const event = h.record.history!.at(-1)!;
    expect(event.StepSucceededDetails?.Result).toEqual({ Truncated: false });
    expect("Payload" in event.StepSucceededDetails!.Result!).toBe(false);
    expect(h.op("1")?.StepDetails && "Result" in h.op("1")!.StepDetails!).toBe(false);
  });

  it.each(["SUCCEED", "FAIL"] as const)("rejects every action after %s", (action) => {
    const h = started();
    h.checkpoint([step("1", "START"), step("1", action)]);
    for (const next of ["SUCCEED", "FAIL", "RETRY", "START"] as const) {
      expectInvalid(() => h.checkpoint([step("1", next, { StepOptions: { NextAttemptDelaySeconds: 1 } })]), /the step is/);
    }
  });

  it("requires a START before SUCCEED/FAIL/RETRY", () => {
    const h = started();
    expectInvalid(() => h.checkpoint([step("1", "SUCCEED")]), /must be STARTed first/);
  });

  it.each([undefined, -1, 1.5, "2"])("rejects RETRY with NextAttemptDelaySeconds %s", (delay) => {
    const h = started();
    h.checkpoint([step("1", "START")]);
    expectInvalid(
      () => h.checkpoint([step("1", "RETRY", { StepOptions: { NextAttemptDelaySeconds: delay as number } })]),
      /NextAttemptDelaySeconds/,
    );
  });

  it("rejects a payload larger than an operation holds, multi-byte characters counted as bytes", () => {
    const h = started();
    h.checkpoint([step("1", "START")]);
    const fits = "x".repeat(256 * 1024 - 2);
    h.checkpoint([step("1", "SUCCEED", { Payload: JSON.stringify(fits) })]);
    h.checkpoint([step("2", "START")]);
    const tooBig = JSON.stringify("é".repeat(140 * 1024)); // 280 KiB of UTF-8 in 140 K characters
    expectInvalid(() => h.checkpoint([step("2", "SUCCEED", { Payload: tooBig })]), /Payload is \d+ bytes; an operation holds at most 262144/);
  });

  it("accepts a zero retry delay (due immediately)", () => {
    const h = started();
    h.checkpoint([step("1", "START"), step("1", "RETRY", { StepOptions: { NextAttemptDelaySeconds: 0 } })], 4);
    expect(h.op("1")?.StepDetails?.NextAttemptTimestamp).toEqual(at(4));
  });
});

describe("identity and parents", () => {
  it.each([
    ["Type", { Type: "CONTEXT" as const }, /is a STEP, not a CONTEXT/],
    ["SubType", { SubType: "Map" }, /SubType cannot change/],
    ["Name", { Name: "other" }, /Name cannot change/],
    ["ParentId", { ParentId: "9" }, /ParentId cannot change/],
  ])("rejects a change of %s", (_field, change, pattern) => {
    const h = started();
    h.checkpoint([context("9", "START"), step("1", "START", { Name: "n" })]);
    expectInvalid(() => h.checkpoint([{ ...step("1", "SUCCEED"), ...change } as OperationUpdate]), pattern);
  });

  it("accepts updates that omit Name/SubType/ParentId", () => {
    const h = started();
    h.checkpoint([context("c", "START"), step("1", "START", { Name: "n", ParentId: "c" })]);
    h.checkpoint([{ Id: "1", Type: "STEP", Action: "SUCCEED" }]);
    expect(h.op("1")).toMatchObject({ Name: "n", ParentId: "c", SubType: "Step", Status: "SUCCEEDED" });
  });

  it("rejects unknown, finished and non-context parents", () => {
    const h = started();
    expectInvalid(() => h.checkpoint([step("1", "START", { ParentId: "nope" })]), /parent operation "nope" does not exist/);
    h.checkpoint([context("c", "START"), context("c", "SUCCEED"), step("s", "START")]);
    expectInvalid(() => h.checkpoint([step("1", "START", { ParentId: "c" })]), /parent context "c" is SUCCEEDED/);
    expectInvalid(() => h.checkpoint([step("2", "START", { ParentId: "s" })]), /is a STEP, not a CONTEXT/);
  });

  it("rejects a child update after its parent finished, even without ParentId", () => {
    const h = started();
    h.checkpoint([context("c", "START"), step("c-1", "START", { ParentId: "c" }), context("c", "SUCCEED")]);
    expectInvalid(() => h.checkpoint([{ Id: "c-1", Type: "STEP", Action: "SUCCEED" }]), /parent context "c" is SUCCEEDED/);
  });

  it("accepts a parent started earlier in the same batch", () => {
    const h = started();
    const plan = h.checkpoint([context("c", "START"), step("c-1", "START", { ParentId: "c" }), step("c-1", "SUCCEED")]);
    expect(plan.changedOperations.map((op) => [op.Id, op.Status])).toEqual([
      ["c", "STARTED"],
      ["c-1", "SUCCEEDED"],
    ]);
  });
});

describe("batch atomicity", () => {
  it("applies nothing when any update is invalid", () => {
    const h = started();
    h.checkpoint([step("1", "START")]);
    const before = {
      seq: h.record.seq,
      ops: h.record.operations.size,
      history: h.record.eventCount,
      token: h.record.checkpointToken,
      step: structuredClone(h.op("1")),
    };
    expectInvalid(
      () => h.checkpoint([step("1", "SUCCEED", { Payload: "1" }), step("2", "START"), wait("3", "START", 0)]),
      /WaitSeconds/,
    );
    expect(h.record.seq).toBe(before.seq);
    expect(h.record.operations.size).toBe(before.ops);
    expect(h.record.eventCount).toBe(before.history);
    expect(h.record.checkpointToken).toBe(before.token);
    expect(h.op("1")).toEqual(before.step);
    // The same token still works: the failed batch consumed nothing.
    h.checkpoint([step("1", "SUCCEED")]);
    expect(h.op("1")?.Status).toBe("SUCCEEDED");
  });

  it("reports which update was bad", () => {
    const h = started();
    const err = expectInvalid(() => h.checkpoint([step("1", "START"), step("2", "SUCCEED")]), /#1/);
    expect(err.updateIndex).toBe(1);
    expect(err.operationId).toBe("2");
  });
});

describe("fencing", () => {
  it("rotates the token on every checkpoint", () => {
    const h = started();
    const first = h.token;
    const plan = h.checkpoint([step("1", "START")]);
    expect(plan.checkpointToken).not.toBe(first);
    expect(() => planCheckpoint(h.record, first, [], h.ctx(0))).toThrow(StaleCheckpointTokenError);
    expect(() => planCheckpoint(h.record, "garbage", [], h.ctx(0))).toThrow(StaleCheckpointTokenError);
  });

  it("stale error says a newer invocation owns the execution", () => {
    const h = started();
    const old = h.token;
    h.begin(1);
    try {
      planCheckpoint(h.record, old, [step("1", "START")], h.ctx(1));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StaleCheckpointTokenError);
      expect((error as StaleCheckpointTokenError).errorType).toBe("InvalidCheckpointToken");
      expect((error as Error).message).toMatch(/newer invocation owns the execution.*must stop/);
    }
    h.checkpoint([step("1", "START")], 1);
  });

  it("rejects checkpoints before any invocation and against a finished execution", () => {
    const h = new CoreHarness();
    expect(() => planCheckpoint(h.record, "x.y", [], h.ctx(0))).toThrow(/no invocation is running/);
    const ticket = h.begin();
    const token = h.token;
    applyMutation(
      h.record,
      planEndInvocation(h.record, ticket, { kind: "returned", output: { Status: "SUCCEEDED" as never, Result: "1" } }, h.ctx(1)),
    );
    expect(() => planCheckpoint(h.record, token, [], h.ctx(2))).toThrow(ExecutionClosedError);
  });
});

describe("waits", () => {
  it("schedules the end and records Duration", () => {
    const h = started();
    h.checkpoint([wait("1", "START", 7)], 3);
    expect(h.op("1")).toMatchObject({ Status: "STARTED", WaitDetails: { ScheduledEndTimestamp: at(10) } });
    expect(h.record.history!.at(-1)).toMatchObject({
      EventType: "WaitStarted",
      SubType: "Wait",
      Id: "1",
      WaitStartedDetails: { Duration: 7, ScheduledEndTimestamp: at(10) },
    });
  });

  it.each([undefined, 0, 1.5, -3])("rejects WaitSeconds %s", (seconds) => {
    const h = started();
    expectInvalid(() => h.checkpoint([wait("1", "START", seconds)]), /WaitSeconds/);
  });

  it("cancels a started wait and not a finished one", () => {
    const h = started();
    h.checkpoint([wait("1", "START", 5), wait("2", "START", 5)]);
    h.checkpoint([wait("1", "CANCEL")], 2);
    expect(h.op("1")).toMatchObject({ Status: "CANCELLED", EndTimestamp: at(2) });
    expect(h.record.history!.at(-1)).toMatchObject({ EventType: "WaitCancelled", Id: "1", WaitCancelledDetails: {} });
    expectInvalid(() => h.checkpoint([wait("1", "CANCEL")]), /CANCELLED/);
    expectInvalid(() => h.checkpoint([wait("2", "START", 5)]), /already exists/);
  });
});

describe("contexts", () => {
  it("stores result, ReplayChildren and errors", () => {
    const h = started();
    h.checkpoint([
      context("a", "START", { Name: "A" }),
      context("a", "SUCCEED", { Payload: '"r"', ContextOptions: { ReplayChildren: true } }),
      context("b", "START"),
      context("b", "FAIL", { Error: { ErrorType: "E" } }),
    ]);
    expect(h.op("a")).toMatchObject({ Status: "SUCCEEDED", Name: "A", ContextDetails: { Result: '"r"', ReplayChildren: true } });
    expect(h.op("b")).toMatchObject({ Status: "FAILED", ContextDetails: { Error: { ErrorType: "E" } } });
    expect(h.record.history!.slice(1)).toEqual([
      expect.objectContaining({ EventType: "ContextStarted", Name: "A", ContextStartedDetails: {} }),
      expect.objectContaining({ EventType: "ContextSucceeded", Name: "A", ContextSucceededDetails: { Result: { Payload: '"r"', Truncated: false } } }),
      expect.objectContaining({ EventType: "ContextStarted", Id: "b" }),
      expect.objectContaining({ EventType: "ContextFailed", ContextFailedDetails: { Error: { Payload: { ErrorType: "E" }, Truncated: false } } }),
    ]);
    expectInvalid(() => h.checkpoint([context("a", "START")]), /already exists/);
  });

  it("omits absent Name/ParentId keys and numbers events consecutively", () => {
    const h = started();
    h.checkpoint([context("c", "START"), step("c-1", "START", { ParentId: "c" })]);
    const [, ctxEvent, stepEvent] = h.record.history!;
    expect(Object.keys(ctxEvent!)).not.toContain("Name");
    expect(Object.keys(ctxEvent!)).not.toContain("ParentId");
    expect(stepEvent).toMatchObject({ EventId: 3, ParentId: "c", SubType: "Step" });
    expect(Object.values(stepEvent!)).not.toContain(undefined);
  });
});

describe("callbacks, chained invokes and the execution operation", () => {
  it("assigns a callback id", () => {
    const h = started();
    const plan = h.checkpoint([{ Id: "1", Type: "CALLBACK", SubType: "Callback", Name: "cb", Action: "START", CallbackOptions: { TimeoutSeconds: 3 } }]);
    const callbackId = plan.changedOperations[0]?.CallbackDetails?.CallbackId;
    expect(callbackId).toBeTruthy();
    expect(h.record.history!.at(-1)).toMatchObject({
      EventType: "CallbackStarted",
      Name: "cb",
      CallbackStartedDetails: { CallbackId: callbackId, Timeout: 3 },
    });
  });

  it("starts a chained invoke and requires a function name", () => {
    const h = started();
    expectInvalid(() => h.checkpoint([{ Id: "1", Type: "CHAINED_INVOKE", Action: "START" }]), /FunctionName/);
    h.checkpoint([{ Id: "1", Type: "CHAINED_INVOKE", Action: "START", Payload: "{}", ChainedInvokeOptions: { FunctionName: "f" } }]);
    expect(h.record.history!.at(-1)?.ChainedInvokeStartedDetails).toEqual({
      FunctionName: "f",
      Input: { Payload: "{}", Truncated: false },
      ExecutedVersion: "$LATEST",
      DurableExecutionArn: expect.stringMatching(/\.invoke-1\/[0-9A-Z]{26}$/),
    });
  });

  it("records an EXECUTION outcome without finishing the execution", () => {
    const h = started();
    const plan = h.checkpoint([{ Id: EXECUTION_OPERATION_ID, Type: "EXECUTION", Action: "SUCCEED", Payload: '"big"' }]);
    expect(plan.changedOperations).toEqual([]);
    expect(h.record.outcome).toEqual({ status: "SUCCEEDED", result: '"big"' });
    expect(h.record.summary.status).toBe("RUNNING");
    expect(h.op(EXECUTION_OPERATION_ID)?.Status).toBe("STARTED");
    expect(h.record.history!).toHaveLength(1);
    expectInvalid(() => h.checkpoint([{ Id: "1", Type: "EXECUTION", Action: "FAIL" }]), /EXECUTION operation's Id/);
  });

  it("does not let the caller's objects alias stored state", () => {
    const h = started();
    const error = { ErrorMessage: "orig", StackTrace: ["a"] };
    h.checkpoint([step("1", "START"), step("1", "FAIL", { Error: error })]);
    error.ErrorMessage = "changed";
    error.StackTrace.push("b");
    expect(h.op("1")?.StepDetails?.Error).toEqual({ ErrorMessage: "orig", StackTrace: ["a"] });
    expect(h.record.history!.at(-1)?.StepFailedDetails?.Error?.Payload).toEqual({ ErrorMessage: "orig", StackTrace: ["a"] });
  });
});
