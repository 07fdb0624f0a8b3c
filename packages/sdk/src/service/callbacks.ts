// Pure decisions for completing callbacks from outside the execution: success, failure and
// heartbeat. Like the checkpoint transition table, they read the record and return a mutation;
// nothing is changed when they throw.
import type { HistoryEvent } from "../protocol/history.js";
import { MAX_OPERATION_PAYLOAD_BYTES, oversizedPayloadBytes } from "../protocol/limits.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { sameCallbackId, parseCallbackId } from "./callback-ids.js";
import { operationOf } from "./resident-operations.js";
import { cloneError, copyForUpdate } from "./clone.js";
import type { CoreContext } from "./core-context.js";
import { CallbackAlreadyCompletedError, CallbackNotFoundError, ExecutionClosedError, InvalidRequestError } from "./errors.js";
import { withChangedOutside, type ExecutionMutation, type ExecutionRecord } from "./execution-record.js";
import { errorOf, operationEvent, payloadOf } from "./history-events.js";

export type CallbackCompletion =
  | { kind: "success"; payload?: string | undefined }
  | { kind: "failure"; error?: ErrorObject | undefined }
  | { kind: "heartbeat" };

export interface CallbackPlan {
  /** Undefined when nothing changes (a heartbeat for a callback without a heartbeat timeout). */
  mutation: ExecutionMutation | undefined;
  operationId: string;
}

const ERROR_FIELDS = ["ErrorType", "ErrorMessage", "ErrorData"] as const;

/** Checks what an external system sent, before anything is looked up or written. */
export function validateCompletion(callbackId: string, completion: CallbackCompletion): void {
  const what = `send callback ${completion.kind} for ${callbackId}`;
  if (completion.kind === "success") {
    const { payload } = completion;
    if (payload !== undefined && typeof payload !== "string") {
      throw new InvalidRequestError(`${what}: the payload must be a string (e.g. JSON text), got ${typeof payload}.`);
    }
    const oversized = oversizedPayloadBytes(payload);
    if (oversized !== undefined) {
      throw new InvalidRequestError(
        `${what}: the payload is ${oversized} bytes; a callback result holds at most ${MAX_OPERATION_PAYLOAD_BYTES}. Send a reference to the data instead.`,
      );
    }
  } else if (completion.kind === "failure" && completion.error !== undefined) {
    const { error } = completion;
    if (typeof error !== "object" || error === null || Array.isArray(error)) {
      throw new InvalidRequestError(`${what}: the error must be an object { ErrorType?, ErrorMessage?, ErrorData? }.`);
    }
    for (const field of ERROR_FIELDS) {
      if (error[field] !== undefined && typeof error[field] !== "string") {
        throw new InvalidRequestError(`${what}: error.${field} must be a string, got ${typeof error[field]}.`);
      }
    }
    const size = Buffer.byteLength(JSON.stringify(error));
    if (size > MAX_OPERATION_PAYLOAD_BYTES) {
      throw new InvalidRequestError(`${what}: the error is ${size} bytes; at most ${MAX_OPERATION_PAYLOAD_BYTES} are kept.`);
    }
  }
}

/** Decides the effect of a callback completion or heartbeat on the execution that owns it. */
export function planCallbackCompletion(
  record: ExecutionRecord,
  callbackId: string,
  completion: CallbackCompletion,
  ctx: CoreContext,
): CallbackPlan {
  const { executionId, operationId } = parseCallbackId(callbackId);
  const current = operationOf(record, operationId);
  if (
    executionId !== record.executionId ||
    current === undefined ||
    current.Type !== "CALLBACK" ||
    !sameCallbackId(callbackId, current.CallbackDetails?.CallbackId)
  ) {
    throw new CallbackNotFoundError(callbackId);
  }
  if (current.Status !== "STARTED") throw new CallbackAlreadyCompletedError(callbackId, current.Status);
  const { summary } = record;
  if (summary.status !== "RUNNING") throw new ExecutionClosedError(summary.executionArn, summary.status);

  const now = new Date(ctx.now.getTime());
  const op = copyForUpdate(current);
  const callbackIdStored = current.CallbackDetails?.CallbackId;

  if (completion.kind === "heartbeat") {
    const deadlines = op.CallbackDetails?.Deadlines;
    const seconds = deadlines?.HeartbeatTimeoutSeconds;
    // Without a heartbeat timeout a heartbeat has nothing to extend; it is accepted all the same.
    if (deadlines === undefined || seconds === undefined) return { mutation: undefined, operationId };
    deadlines.HeartbeatDueAtMs = now.getTime() + seconds * 1000;
    return { mutation: { seq: record.seq + 1, operations: [op] }, operationId };
  }

  op.EndTimestamp = now;
  let event: (eventId: number) => HistoryEvent;
  if (completion.kind === "success") {
    op.Status = "SUCCEEDED";
    op.CallbackDetails = { CallbackId: callbackIdStored };
    if (completion.payload !== undefined) op.CallbackDetails.Result = completion.payload;
    event = (id) => operationEvent("CallbackSucceeded", op, id, now, "CallbackSucceededDetails", { Result: payloadOf(completion.payload) });
  } else {
    op.Status = "FAILED";
    const error = cloneError(completion.error);
    op.CallbackDetails = { CallbackId: callbackIdStored };
    if (error !== undefined) op.CallbackDetails.Error = error;
    event = (id) => operationEvent("CallbackFailed", op, id, now, "CallbackFailedDetails", { Error: errorOf(error) });
  }
  const mutation: ExecutionMutation = {
    seq: record.seq + 1,
    operations: [op],
    events: [event(record.eventCount + 1)],
    // The handler may be blocked on this callback: whoever drives the execution invokes it again.
    wakePending: true,
  };
  // A running invocation hears of it in its next checkpoint response.
  const invocation = withChangedOutside(record, [operationId]);
  if (invocation) mutation.invocation = invocation;
  return { mutation, operationId };
}

/** The new version of a STARTED callback whose deadline passed (see planFireDueTimers). */
export function timedOutCallback(current: Operation, error: ErrorObject, now: Date): Operation {
  const op = copyForUpdate(current);
  op.Status = "TIMED_OUT";
  op.EndTimestamp = now;
  op.CallbackDetails = { CallbackId: current.CallbackDetails?.CallbackId, Error: error };
  return op;
}
