// The checkpoint transition table: validates a batch of OperationUpdates against an execution's
// operations and decides the new operation versions and history events. Pure: reads the record,
// never changes it; the caller commits the returned mutation.
import type { HistoryEvent } from "../protocol/history.js";
import { MAX_OPERATION_PAYLOAD_BYTES, oversizedPayloadBytes } from "../protocol/limits.js";
import { OperationAction, OperationType } from "../protocol/wire.js";
import type { ErrorObject, Operation, OperationUpdate } from "../protocol/wire.js";
import { cloneError, copyForUpdate } from "./clone.js";
import { addSeconds, type CoreContext } from "./core-context.js";
import { ExecutionClosedError, InvalidCheckpointError, StaleCheckpointTokenError } from "./errors.js";
import {
  EXECUTION_OPERATION_ID,
  type CheckpointedOutcome,
  type ExecutionMutation,
  type ExecutionRecord,
} from "./execution-record.js";
import { errorOf, operationEvent, payloadOf } from "./history-events.js";
import { makeCallbackId } from "./callback-ids.js";
import { makeCheckpointToken } from "./ids.js";
import { chainedInvokeStartedDetails } from "./chained-invokes.js";
import { operationOf } from "./resident-operations.js";
import { shownValue } from "../errors/shown-value.js";

/** Which actions each operation type accepts from the handler side. */
export const VALID_ACTIONS: Readonly<Record<OperationType, readonly OperationAction[]>> = {
  EXECUTION: ["SUCCEED", "FAIL"],
  CONTEXT: ["START", "SUCCEED", "FAIL"],
  STEP: ["START", "SUCCEED", "FAIL", "RETRY"],
  WAIT: ["START", "CANCEL"],
  CALLBACK: ["START"],
  CHAINED_INVOKE: ["START"],
};

export interface CheckpointPlan {
  mutation: ExecutionMutation;
  /** The token that replaces the one the request carried. */
  checkpointToken: string;
  /**
   * Final versions of the operations the batch changed, in order of first change. They are the
   * mutation's own objects: clone them before handing them to a caller.
   */
  changedOperations: Operation[];
}

/** Rejects a write unless `token` is the execution's current token and the execution runs. */
export function assertCurrentToken(record: ExecutionRecord, token: string): void {
  const { summary } = record;
  if (summary.status !== "RUNNING") throw new ExecutionClosedError(summary.executionArn, summary.status);
  if (record.checkpointToken === undefined) {
    throw new StaleCheckpointTokenError(summary.executionArn, "no invocation is running (it ended or was superseded)");
  }
  if (token !== record.checkpointToken) throw new StaleCheckpointTokenError(summary.executionArn);
}

/**
 * Validates every update of the batch, then decides its effect. Throws (InvalidCheckpointError,
 * StaleCheckpointTokenError, ExecutionClosedError) before anything is decided, so a batch is
 * applied entirely or not at all.
 */
export function planCheckpoint(
  record: ExecutionRecord,
  token: string,
  updates: readonly OperationUpdate[],
  ctx: CoreContext,
): CheckpointPlan {
  assertCurrentToken(record, token);
  const batch = new BatchPlanner(record, ctx);
  updates.forEach((update, index) => batch.apply(update, index));
  const invocationKey = record.invocation?.invocationKey ?? "";
  const checkpointToken = makeCheckpointToken(invocationKey, ctx.ids.tokenSecret());
  const changedOperations = [...batch.changed.values()];
  const mutation: ExecutionMutation = { seq: record.seq + 1, checkpointToken };
  if (changedOperations.length > 0) mutation.operations = changedOperations;
  if (batch.events.length > 0) mutation.events = batch.events;
  if (batch.outcome !== undefined) mutation.outcome = batch.outcome;
  return { mutation, checkpointToken, changedOperations };
}

const OPERATION_TYPES = new Set<string>(Object.values(OperationType));
const IDENTITY_FIELDS = ["SubType", "Name", "ParentId"] as const;
const ACTIONS = new Set<string>(Object.values(OperationAction));

function isNonNegativeInteger(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

/** Applies updates one by one to an overlay of the record's operations. */
class BatchPlanner {
  /** Operations changed by the batch so far (fresh objects), in order of first change. */
  readonly changed = new Map<string, Operation>();
  readonly events: HistoryEvent[] = [];
  outcome: CheckpointedOutcome | undefined;
  private nextEventId: number;
  private readonly now: Date;

  constructor(
    private readonly record: ExecutionRecord,
    private readonly ctx: CoreContext,
  ) {
    this.nextEventId = record.eventCount + 1;
    // Own copy: a caller's clock may hand out a Date it later mutates.
    this.now = new Date(ctx.now.getTime());
  }

  private current(id: string): Operation | undefined {
    return this.changed.get(id) ?? operationOf(this.record, id);
  }

  private emit(event: (eventId: number) => HistoryEvent): void {
    this.events.push(event(this.nextEventId++));
  }

  apply(update: OperationUpdate, index: number): void {
    const reject = (reason: string): never => {
      throw new InvalidCheckpointError(String(update?.Id), String(update?.Action), reason, index);
    };
    if (typeof update !== "object" || update === null) reject("the update is not an object");
    if (typeof update.Id !== "string" || update.Id.length === 0) reject("Id must be a non-empty string");
    if (!OPERATION_TYPES.has(update.Type)) reject(`unknown Type "${String(update.Type)}"`);
    if (!ACTIONS.has(update.Action)) reject(`unknown Action "${String(update.Action)}"`);
    if (!VALID_ACTIONS[update.Type].includes(update.Action)) {
      reject(`${update.Type} operations accept ${VALID_ACTIONS[update.Type].join("/")}, not ${update.Action}`);
    }
    if (update.Payload !== undefined && typeof update.Payload !== "string") reject("Payload must be a string");
    const oversized = update.Type === "EXECUTION" ? undefined : oversizedPayloadBytes(update.Payload);
    if (oversized !== undefined) {
      reject(`Payload is ${oversized} bytes; an operation holds at most ${MAX_OPERATION_PAYLOAD_BYTES} (store large data elsewhere and checkpoint a reference)`);
    }
    if (update.Error !== undefined && (typeof update.Error !== "object" || update.Error === null)) {
      reject("Error must be an ErrorObject");
    }

    if (update.Type === "EXECUTION") {
      if (update.Id !== EXECUTION_OPERATION_ID) {
        reject(`the EXECUTION operation's Id is "${EXECUTION_OPERATION_ID}"`);
      }
      this.outcome =
        update.Action === "SUCCEED"
          ? { status: "SUCCEEDED", ...(update.Payload === undefined ? {} : { result: update.Payload }) }
          : { status: "FAILED", ...(update.Error === undefined ? {} : { error: cloneError(update.Error) }) };
      return;
    }

    const existing = this.current(update.Id);
    if (existing) {
      if (existing.Type !== update.Type) reject(`the operation is a ${existing.Type}, not a ${update.Type}`);
      for (const field of IDENTITY_FIELDS) {
        if (update[field] !== undefined && update[field] !== existing[field]) {
          reject(`${field} cannot change (was ${JSON.stringify(existing[field])}, now ${JSON.stringify(update[field])})`);
        }
      }
    } else if (update.Action !== "START") {
      reject(`there is no operation "${update.Id}" to ${update.Action}; it must be STARTed first`);
    }

    const parentId = update.ParentId ?? existing?.ParentId;
    if (parentId !== undefined) {
      if (parentId === update.Id) reject("an operation cannot be its own parent");
      const parent = this.current(parentId);
      if (!parent) reject(`parent operation "${parentId}" does not exist`);
      else if (parent.Type !== "CONTEXT") reject(`parent "${parentId}" is a ${parent.Type}, not a CONTEXT`);
      else if (parent.Status !== "STARTED") reject(`parent context "${parentId}" is ${parent.Status}, not STARTED`);
    }

    // A version created earlier in this batch is the batch's own: update it in place. A stored
    // version is copied, so a rejected batch leaves the record untouched.
    const next = !existing ? this.newOperation(update) : this.changed.get(existing.Id) === existing ? existing : copyForUpdate(existing);
    switch (update.Type) {
      case "STEP":
        this.step(update, existing, next, reject);
        break;
      case "CONTEXT":
        this.context(update, existing, next, reject);
        break;
      case "WAIT":
        this.wait(update, existing, next, reject);
        break;
      case "CALLBACK":
        this.callback(update, existing, next, reject);
        break;
      case "CHAINED_INVOKE":
        this.chainedInvoke(update, existing, next, reject);
        break;
    }
    // Re-insert so the Map keeps first-change order but holds the newest version.
    this.changed.set(next.Id, next);
  }

  private newOperation(update: OperationUpdate): Operation {
    const op: Operation = { Id: update.Id, Type: update.Type, StartTimestamp: this.now, Status: "STARTED" };
    if (update.ParentId !== undefined) op.ParentId = update.ParentId;
    if (update.Name !== undefined) op.Name = update.Name;
    if (update.SubType !== undefined) op.SubType = update.SubType;
    return op;
  }

  private finish(op: Operation, status: Operation["Status"]): void {
    op.Status = status;
    op.EndTimestamp = this.now;
  }

  private step(u: OperationUpdate, existing: Operation | undefined, op: Operation, reject: (r: string) => never): void {
    // Details are rebuilt rather than edited with `delete`, which would slow every later read.
    const previous = op.StepDetails ?? {};
    if (u.Action === "START") {
      let attempt = previous.Attempt ?? 0;
      if (!existing || existing.Status === "READY") {
        attempt += 1;
        op.Status = "STARTED";
      } else if (existing.Status !== "STARTED") {
        const due = previous.NextAttemptTimestamp ? ` (its retry is due at ${previous.NextAttemptTimestamp.toISOString()})` : "";
        reject(
          `the step is ${existing.Status}${due}; START is allowed for a new step, a READY step (retry due) ` +
            "or a STARTED step (re-run after an interrupted invocation)",
        );
      }
      // The last failed attempt's error stays visible while the next attempt runs, and so does
      // the state a progress RETRY carried (waitForCondition), which the next attempt starts from.
      op.StepDetails = stepDetails(attempt, { Error: previous.Error, Result: previous.Result });
      this.emit((id) => operationEvent("StepStarted", op, id, this.now, "StepStartedDetails", {}));
      return;
    }
    if (existing?.Status !== "STARTED") reject(`the step is ${existing?.Status}, so it cannot ${u.Action}; only a STARTED step can`);
    const currentAttempt = previous.Attempt ?? 1;
    if (u.Action === "SUCCEED") {
      this.finish(op, "SUCCEEDED");
      op.StepDetails = stepDetails(previous.Attempt, { Result: u.Payload });
      this.emit((id) =>
        operationEvent("StepSucceeded", op, id, this.now, "StepSucceededDetails", {
          Result: payloadOf(u.Payload),
          RetryDetails: { CurrentAttempt: currentAttempt },
        }),
      );
    } else if (u.Action === "FAIL") {
      this.finish(op, "FAILED");
      op.StepDetails = stepDetails(previous.Attempt, { Error: cloneError(u.Error) });
      this.emit((id) =>
        operationEvent("StepFailed", op, id, this.now, "StepFailedDetails", {
          Error: errorOf(u.Error),
          RetryDetails: { CurrentAttempt: currentAttempt },
        }),
      );
    } else {
      const delay = u.StepOptions?.NextAttemptDelaySeconds;
      if (!isNonNegativeInteger(delay)) {
        reject(`RETRY needs StepOptions.NextAttemptDelaySeconds as a whole number >= 0 (got ${shownValue(delay)})`);
      }
      op.Status = "PENDING";
      if (u.Error === undefined) {
        // A progress retry (waitForCondition): the attempt succeeded and carries the state the
        // next attempt starts from.
        op.StepDetails = stepDetails(previous.Attempt, { Result: u.Payload, NextAttemptTimestamp: addSeconds(this.now, delay) });
        this.emit((id) =>
          operationEvent("StepSucceeded", op, id, this.now, "StepSucceededDetails", {
            Result: payloadOf(u.Payload),
            RetryDetails: { CurrentAttempt: currentAttempt, NextAttemptDelaySeconds: delay },
          }),
        );
        return;
      }
      op.StepDetails = stepDetails(previous.Attempt, { Error: cloneError(u.Error), NextAttemptTimestamp: addSeconds(this.now, delay) });
      this.emit((id) =>
        operationEvent("StepFailed", op, id, this.now, "StepFailedDetails", {
          Error: errorOf(u.Error),
          RetryDetails: { CurrentAttempt: currentAttempt, NextAttemptDelaySeconds: delay },
        }),
      );
    }
  }

  private context(u: OperationUpdate, existing: Operation | undefined, op: Operation, reject: (r: string) => never): void {
    if (u.Action === "START") {
      if (existing) reject(`the context already exists (${existing.Status}); START only creates a context`);
      this.emit((id) => operationEvent("ContextStarted", op, id, this.now, "ContextStartedDetails", {}));
      return;
    }
    if (existing?.Status !== "STARTED") reject(`the context is ${existing?.Status}; only a STARTED context can ${u.Action}`);
    const details: NonNullable<Operation["ContextDetails"]> = (op.ContextDetails = {});
    if (u.Action === "SUCCEED") {
      this.finish(op, "SUCCEEDED");
      if (u.Payload !== undefined) details.Result = u.Payload;
      if (u.ContextOptions?.ReplayChildren === true) details.ReplayChildren = true;
      this.emit((id) =>
        operationEvent("ContextSucceeded", op, id, this.now, "ContextSucceededDetails", { Result: payloadOf(u.Payload) }),
      );
    } else {
      this.finish(op, "FAILED");
      if (u.Error !== undefined) details.Error = cloneError(u.Error);
      this.emit((id) => operationEvent("ContextFailed", op, id, this.now, "ContextFailedDetails", { Error: errorOf(u.Error) }));
    }
  }

  private wait(u: OperationUpdate, existing: Operation | undefined, op: Operation, reject: (r: string) => never): void {
    if (u.Action === "START") {
      if (existing) reject(`the wait already exists (${existing.Status}); START only creates a wait`);
      const seconds = u.WaitOptions?.WaitSeconds;
      if (!isNonNegativeInteger(seconds) || seconds < 1) {
        reject(`WAIT START needs WaitOptions.WaitSeconds as a whole number >= 1 (got ${shownValue(seconds)})`);
      }
      const end = addSeconds(this.now, seconds);
      op.WaitDetails = { ScheduledEndTimestamp: end };
      this.emit((id) =>
        operationEvent("WaitStarted", op, id, this.now, "WaitStartedDetails", {
          Duration: seconds,
          ScheduledEndTimestamp: new Date(end.getTime()),
        }),
      );
      return;
    }
    if (existing?.Status !== "STARTED") reject(`the wait is ${existing?.Status}; only a STARTED wait can be cancelled`);
    this.finish(op, "CANCELLED");
    this.emit((id) => operationEvent("WaitCancelled", op, id, this.now, "WaitCancelledDetails", errorDetails(u)));
  }

  private callback(u: OperationUpdate, existing: Operation | undefined, op: Operation, reject: (r: string) => never): void {
    if (existing) reject(`the callback already exists (${existing.Status}); START only creates a callback`);
    const timeout = u.CallbackOptions?.TimeoutSeconds;
    const heartbeat = u.CallbackOptions?.HeartbeatTimeoutSeconds;
    if (timeout !== undefined && !isNonNegativeInteger(timeout)) reject("CallbackOptions.TimeoutSeconds must be a whole number >= 0");
    if (heartbeat !== undefined && !isNonNegativeInteger(heartbeat)) {
      reject("CallbackOptions.HeartbeatTimeoutSeconds must be a whole number >= 0");
    }
    const callbackId = makeCallbackId(this.record.executionId, op.Id, this.ctx.ids.callbackSecret());
    op.CallbackDetails = { CallbackId: callbackId };
    const details: NonNullable<HistoryEvent["CallbackStartedDetails"]> = { CallbackId: callbackId };
    if (timeout) details.Timeout = timeout;
    if (heartbeat) details.HeartbeatTimeout = heartbeat;
    // Deadlines are timers (see callback-deadlines.ts); 0 means none, as on the wire.
    if (timeout || heartbeat) {
      const start = this.now.getTime();
      op.CallbackDetails.Deadlines = {};
      if (timeout) op.CallbackDetails.Deadlines.TimeoutAtMs = start + timeout * 1000;
      if (heartbeat) {
        op.CallbackDetails.Deadlines.HeartbeatTimeoutSeconds = heartbeat;
        op.CallbackDetails.Deadlines.HeartbeatDueAtMs = start + heartbeat * 1000;
      }
    }
    this.emit((id) => operationEvent("CallbackStarted", op, id, this.now, "CallbackStartedDetails", details));
  }

  private chainedInvoke(u: OperationUpdate, existing: Operation | undefined, op: Operation, reject: (r: string) => never): void {
    if (existing) reject(`the chained invoke already exists (${existing.Status}); START only creates one`);
    const functionName = u.ChainedInvokeOptions?.FunctionName;
    if (typeof functionName !== "string" || functionName.length === 0) {
      reject("CHAINED_INVOKE START needs ChainedInvokeOptions.FunctionName");
    }
    const tenantId = u.ChainedInvokeOptions?.TenantId;
    if (tenantId !== undefined && (typeof tenantId !== "string" || tenantId.length === 0)) {
      reject("ChainedInvokeOptions.TenantId must be a non-empty string when given");
    }
    const details = chainedInvokeStartedDetails(this.record.executionId, op.Id, functionName, u.Payload, tenantId, this.ctx);
    this.emit((id) => operationEvent("ChainedInvokeStarted", op, id, this.now, "ChainedInvokeStartedDetails", details));
  }
}

/** Step details with only the fields that have values. */
function stepDetails(
  attempt: number | undefined,
  fields: { Result?: string | undefined; Error?: ErrorObject | undefined; NextAttemptTimestamp?: Date | undefined },
): NonNullable<Operation["StepDetails"]> {
  const details: NonNullable<Operation["StepDetails"]> = {};
  if (attempt !== undefined) details.Attempt = attempt;
  if (fields.Result !== undefined) details.Result = fields.Result;
  if (fields.Error !== undefined) details.Error = fields.Error;
  if (fields.NextAttemptTimestamp !== undefined) details.NextAttemptTimestamp = fields.NextAttemptTimestamp;
  return details;
}

function errorDetails(u: OperationUpdate): { Error?: ReturnType<typeof errorOf> } {
  return u.Error === undefined ? {} : { Error: errorOf(u.Error) };
}

