import { describe, expect, it } from "vitest";
import { InvocationStatus } from "../protocol/invocation.js";
import { planCheckpoint } from "./apply-checkpoint.js";
import { ExecutionClosedError, StaleCheckpointTokenError } from "./errors.js";
import { applyMutation, EXECUTION_OPERATION_ID } from "./execution-record.js";
import { assertReadToken, planBeginInvocation, planEndInvocation } from "./invocation-lifecycle.js";
import type { InvocationOutcome } from "./service-api.js";
import { planFireDueTimers } from "./timers.js";
import { at, context, CoreHarness, step, wait } from "./test-support/core-fixtures.js";

const succeeded = (Result?: string): InvocationOutcome => ({ kind: "returned", output: { Status: InvocationStatus.SUCCEEDED, Result } });
const pending: InvocationOutcome = { kind: "returned", output: { Status: InvocationStatus.PENDING } };

function end(h: CoreHarness, outcome: InvocationOutcome, seconds: number): void {
  applyMutation(h.record, planEndInvocation(h.record, h.ticket!, outcome, h.ctx(seconds)));
}

describe("startExecution", () => {
  it("creates the EXECUTION operation first and ExecutionStarted as event 1", () => {
    const h = new CoreHarness('{"a":1}');
    expect(h.record.operationOrder[0]).toBe(EXECUTION_OPERATION_ID);
    expect(h.op(EXECUTION_OPERATION_ID)).toMatchObject({
      Type: "EXECUTION",
      Status: "STARTED",
      ExecutionDetails: { InputPayload: '{"a":1}' },
    });
    expect(h.record.history!).toEqual([
      expect.objectContaining({ EventType: "ExecutionStarted", EventId: 1, ExecutionStartedDetails: { Input: { Payload: '{"a":1}', Truncated: false } } }),
    ]);
    expect(h.record.summary).toMatchObject({ status: "RUNNING", invocationCount: 0, input: '{"a":1}', executionName: "test" });
    expect(h.record.summary.executionArn).toMatch(/^arn:cairn:local:execution\/test\//);
  });
});

describe("beginInvocation", () => {
  it("issues a fresh token, counts invocations and returns the operations", () => {
    const h = new CoreHarness();
    const first = h.begin();
    expect(first.input.InitialExecutionState.Operations[0]?.Type).toBe("EXECUTION");
    expect(first.input.InitialExecutionState.NextMarker).toBeUndefined();
    h.checkpoint([step("1", "START")]);
    const second = h.begin(1);
    expect(second.input.CheckpointToken).not.toBe(first.input.CheckpointToken);
    expect(second.requestId).not.toBe(first.requestId);
    expect(second.input.InitialExecutionState.Operations.map((op) => op.Id)).toEqual([EXECUTION_OPERATION_ID, "1"]);
    expect(h.record.summary.invocationCount).toBe(2);
    expect(() => planCheckpoint(h.record, first.input.CheckpointToken, [], h.ctx(1))).toThrow(StaleCheckpointTokenError);
  });

  it("closes an invocation that never reported its end before the next one begins", () => {
    const h = new CoreHarness();
    h.begin();
    const abandoned = h.ticket!.requestId;
    h.begin(); // e.g. the first process was killed: the orchestrator invokes again
    const completed = h.record.history!.filter((e) => e.EventType === "InvocationCompleted");
    expect(completed).toHaveLength(1);
    expect(completed[0]?.InvocationCompletedDetails).toMatchObject({
      RequestId: abandoned,
      Error: { Payload: { ErrorType: "Invocation.Abandoned" } },
    });
    end(h, pending, 5);
    expect(h.record.history!.filter((e) => e.EventType === "InvocationCompleted")).toHaveLength(2);
  });

  it("pages a large initial state", () => {
    const h = new CoreHarness();
    h.begin();
    h.checkpoint(Array.from({ length: 30 }, (_, i) => step(String(i + 1), "START")));
    const { ticket } = planBeginInvocation(h.record, h.ctx(1), 10);
    expect(ticket.input.InitialExecutionState.Operations).toHaveLength(10);
    expect(ticket.input.InitialExecutionState.NextMarker).toBeTruthy();
  });

  it("lets reads use any token of the running invocation, and no other", () => {
    const h = new CoreHarness();
    const ticket = h.begin();
    h.checkpoint([step("1", "START")]);
    assertReadToken(h.record, ticket.input.CheckpointToken);
    assertReadToken(h.record, h.token);
    h.begin(1);
    expect(() => assertReadToken(h.record, ticket.input.CheckpointToken)).toThrow(StaleCheckpointTokenError);
  });
});

describe("endInvocation", () => {
  it("writes InvocationCompleted before ExecutionSucceeded and finishes the execution", () => {
    const h = new CoreHarness();
    h.begin(1);
    h.checkpoint([step("1", "START"), step("1", "SUCCEED", { Payload: '"x"' })], 2);
    end(h, succeeded('"x"'), 3);
    const tail = h.record.history!.slice(-2);
    expect(tail).toEqual([
      {
        EventType: "InvocationCompleted",
        EventId: 4,
        EventTimestamp: at(3),
        InvocationCompletedDetails: { StartTimestamp: at(1), EndTimestamp: at(3), RequestId: h.ticket!.requestId },
      },
      {
        EventType: "ExecutionSucceeded",
        EventId: 5,
        Id: EXECUTION_OPERATION_ID,
        EventTimestamp: at(3),
        ExecutionSucceededDetails: { Result: { Payload: '"x"', Truncated: false } },
      },
    ]);
    expect(h.record.summary).toMatchObject({ status: "SUCCEEDED", result: '"x"', endTimestamp: at(3) });
    expect(h.op(EXECUTION_OPERATION_ID)).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: at(3) });
    expect(h.record.checkpointToken).toBeUndefined();
    expect(() => planBeginInvocation(h.record, h.ctx(4))).toThrow(ExecutionClosedError);
  });

  it("uses a result checkpointed through the EXECUTION operation", () => {
    const h = new CoreHarness();
    h.begin();
    h.checkpoint([{ Id: EXECUTION_OPERATION_ID, Type: "EXECUTION", Action: "SUCCEED", Payload: '"huge"' }]);
    end(h, succeeded(), 1);
    expect(h.record.summary.result).toBe('"huge"');
    expect(h.record.history!.at(-1)?.ExecutionSucceededDetails).toEqual({ Result: { Payload: '"huge"', Truncated: false } });
  });

  it("records a FAILED output on InvocationCompleted and ExecutionFailed", () => {
    const h = new CoreHarness();
    h.begin();
    const error = { ErrorType: "Boom", ErrorMessage: "bad" };
    end(h, { kind: "returned", output: { Status: InvocationStatus.FAILED, Error: error } }, 1);
    expect(h.eventTypes().slice(-2)).toEqual(["InvocationCompleted", "ExecutionFailed"]);
    expect(h.record.history!.at(-2)?.InvocationCompletedDetails?.Error).toEqual({ Payload: error, Truncated: false });
    expect(h.record.history!.at(-1)?.ExecutionFailedDetails).toEqual({ Error: { Payload: error, Truncated: false } });
    expect(h.record.summary).toMatchObject({ status: "FAILED", error });
  });

  it("keeps the execution RUNNING after a crash or a PENDING return", () => {
    const h = new CoreHarness();
    h.begin();
    end(h, { kind: "crashed", error: { ErrorType: "Runtime.ExitError" } }, 1);
    expect(h.record.summary.status).toBe("RUNNING");
    expect(h.record.history!.at(-1)?.InvocationCompletedDetails?.Error).toEqual({ Payload: { ErrorType: "Runtime.ExitError" }, Truncated: false });
    h.begin(2);
    end(h, pending, 3);
    expect(h.record.summary.status).toBe("RUNNING");
    expect(h.eventTypes()).toEqual(["ExecutionStarted", "InvocationCompleted", "InvocationCompleted"]);
    expect(h.record.history!.at(-1)?.InvocationCompletedDetails?.Error).toBeUndefined();
  });

  it("rejects a stale ticket and stops accepting the ended invocation's token", () => {
    const h = new CoreHarness();
    const old = h.begin();
    h.begin(1);
    expect(() => planEndInvocation(h.record, old, pending, h.ctx(2))).toThrow(StaleCheckpointTokenError);
    const token = h.token;
    end(h, pending, 2);
    expect(() => planEndInvocation(h.record, h.ticket!, pending, h.ctx(3))).toThrow(StaleCheckpointTokenError);
    expect(() => planCheckpoint(h.record, token, [], h.ctx(3))).toThrow(/no invocation is running/);
  });
});

describe("a whole execution's history (conformance parallel/8-14 shape)", () => {
  it("matches the expected event sequence across a wait suspension", () => {
    const h = new CoreHarness("null");
    h.begin(0);
    h.checkpoint([{ ...context("1", "START"), SubType: "Parallel", Name: "replay" }]);
    h.checkpoint([{ ...context("1-1", "START", { ParentId: "1" }), SubType: "ParallelBranch" }]);
    h.checkpoint([step("1-1-1", "START", { ParentId: "1-1" }), step("1-1-1", "SUCCEED", { Payload: '"b0"' })]);
    h.checkpoint([{ ...context("1-1", "SUCCEED", { Payload: '"b0"' }), SubType: "ParallelBranch" }]);
    h.checkpoint([{ ...context("1-2", "START", { ParentId: "1" }), SubType: "ParallelBranch" }]);
    h.checkpoint([{ ...wait("1-2-1", "START", 2), ParentId: "1-2" }]);
    end(h, pending, 1);
    applyMutation(h.record, planFireDueTimers(h.record, h.ctx(2)).mutation!);
    h.begin(3);
    h.checkpoint([{ ...context("1-2", "SUCCEED", { Payload: '"b1"' }), SubType: "ParallelBranch" }]);
    h.checkpoint([{ ...context("1", "SUCCEED", { Payload: '["b0","b1"]' }), SubType: "Parallel" }]);
    end(h, succeeded('["b0","b1"]'), 4);

    const summary = h.record.history!.map((e) => [e.EventId, e.EventType, e.SubType, e.Id, e.ParentId]);
    expect(summary).toEqual([
      [1, "ExecutionStarted", undefined, "0", undefined],
      [2, "ContextStarted", "Parallel", "1", undefined],
      [3, "ContextStarted", "ParallelBranch", "1-1", "1"],
      [4, "StepStarted", "Step", "1-1-1", "1-1"],
      [5, "StepSucceeded", "Step", "1-1-1", "1-1"],
      [6, "ContextSucceeded", "ParallelBranch", "1-1", "1"],
      [7, "ContextStarted", "ParallelBranch", "1-2", "1"],
      [8, "WaitStarted", "Wait", "1-2-1", "1-2"],
      [9, "InvocationCompleted", undefined, undefined, undefined],
      [10, "WaitSucceeded", "Wait", "1-2-1", "1-2"],
      [11, "ContextSucceeded", "ParallelBranch", "1-2", "1"],
      [12, "ContextSucceeded", "Parallel", "1", undefined],
      [13, "InvocationCompleted", undefined, undefined, undefined],
      [14, "ExecutionSucceeded", undefined, "0", undefined],
    ]);
    expect(h.record.history![4]?.StepSucceededDetails?.Result).toEqual({ Payload: '"b0"', Truncated: false });
    expect(h.record.history![9]?.WaitSucceededDetails).toEqual({ Duration: 2 });
    expect(h.record.history![1]?.Name).toBe("replay");
  });
});

describe("endInvocation blocked by a replay mismatch", () => {
  const mismatch: InvocationOutcome = {
    kind: "returned",
    output: { Status: InvocationStatus.FAILED, Error: { ErrorType: "NonDeterministicExecutionError", ErrorMessage: "diverged" } },
    blockedBy: { operationId: "3", message: "diverged" },
  };

  it("keeps the mark through a crash (which proves nothing) and drops it on a later SUCCEEDED", () => {
    const h = new CoreHarness();
    h.begin();
    end(h, mismatch, 0);
    expect(h.record.summary).toMatchObject({ status: "RUNNING", blocked: { operationId: "3", attempts: 1 } });
    expect(h.record.summary.blocked?.retryAt).toEqual(at(1));
    h.begin(1);
    end(h, { kind: "crashed", error: { ErrorType: "Runtime.ExitError" } }, 2);
    expect(h.record.summary.blocked?.attempts).toBe(1);
    h.begin(3);
    end(h, succeeded('"ok"'), 4);
    expect(h.record.summary.status).toBe("SUCCEEDED");
    expect(h.record.summary.blocked).toBeUndefined();
  });

  it("a FAILED output without the engine's mark fails the execution as before", () => {
    const h = new CoreHarness();
    h.begin();
    const { blockedBy: _mark, ...unmarked } = mismatch as Extract<InvocationOutcome, { kind: "returned" }>;
    end(h, unmarked, 0);
    expect(h.record.summary.status).toBe("FAILED");
    expect(h.record.summary.blocked).toBeUndefined();
  });
});
