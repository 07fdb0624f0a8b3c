// Copies at the service boundary: nothing a caller receives or passes in may alias a stored
// object, or the caller could rewrite history by mutating it. Hand-written for Operation and
// ErrorObject because they are on the hot checkpoint path.
import type { HistoryEvent } from "../protocol/history.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import type { ExecutionSummary } from "./service-api.js";

function cloneDate(d: Date): Date;
function cloneDate(d: Date | undefined): Date | undefined;
function cloneDate(d: Date | undefined): Date | undefined {
  return d === undefined ? undefined : new Date(d.getTime());
}

export function cloneError(error: ErrorObject): ErrorObject;
export function cloneError(error: ErrorObject | undefined): ErrorObject | undefined;
export function cloneError(error: ErrorObject | undefined): ErrorObject | undefined {
  if (error === undefined) return undefined;
  const copy: ErrorObject = {};
  if (error.ErrorType !== undefined) copy.ErrorType = error.ErrorType;
  if (error.ErrorMessage !== undefined) copy.ErrorMessage = error.ErrorMessage;
  if (error.ErrorData !== undefined) copy.ErrorData = error.ErrorData;
  if (error.StackTrace !== undefined) copy.StackTrace = [...error.StackTrace];
  return copy;
}

/**
 * A copy of an operation to hand out, made by spread: the copy takes the original's shape in one
 * step. The core never adds properties to it (see copyForUpdate for why that matters).
 */
export function cloneOperation(op: Operation): Operation {
  return copyOperation(op, spreadCopy);
}

/**
 * A copy of a stored operation that the core turns into its next version, adding properties to
 * it (EndTimestamp, details). Made by assignment: on V8, adding a property to an object made by
 * spread gives that object a hidden class of its own, so every operation that ends in a later
 * checkpoint than it started (a step whose body awaits I/O, a map item, a wait its timer ended)
 * was stored with its own class. Measured on 20 000 such steps: about 260 bytes more per stored
 * operation, and copying them out of the store (every invocation's state, every read) 5× slower.
 */
export function copyForUpdate(op: Operation): Operation {
  return copyOperation(op, assignCopy);
}

function spreadCopy<T extends object>(value: T): T {
  return { ...value };
}

function assignCopy<T extends object>(value: T): T {
  return Object.assign({}, value);
}

function copyOperation(op: Operation, copyObject: <T extends object>(value: T) => T): Operation {
  const copy = copyObject(op);
  copy.StartTimestamp = cloneDate(op.StartTimestamp);
  if (op.EndTimestamp) copy.EndTimestamp = cloneDate(op.EndTimestamp);
  if (op.ExecutionDetails) copy.ExecutionDetails = copyObject(op.ExecutionDetails);
  if (op.ContextDetails) {
    copy.ContextDetails = copyObject(op.ContextDetails);
    if (op.ContextDetails.Error) copy.ContextDetails.Error = cloneError(op.ContextDetails.Error);
  }
  if (op.StepDetails) {
    copy.StepDetails = copyObject(op.StepDetails);
    if (op.StepDetails.Error) copy.StepDetails.Error = cloneError(op.StepDetails.Error);
    if (op.StepDetails.NextAttemptTimestamp) {
      copy.StepDetails.NextAttemptTimestamp = cloneDate(op.StepDetails.NextAttemptTimestamp);
    }
  }
  if (op.WaitDetails) {
    copy.WaitDetails = copyObject(op.WaitDetails);
    if (op.WaitDetails.ScheduledEndTimestamp) {
      copy.WaitDetails.ScheduledEndTimestamp = cloneDate(op.WaitDetails.ScheduledEndTimestamp);
    }
  }
  if (op.CallbackDetails) {
    copy.CallbackDetails = copyObject(op.CallbackDetails);
    if (op.CallbackDetails.Error) copy.CallbackDetails.Error = cloneError(op.CallbackDetails.Error);
    if (op.CallbackDetails.Deadlines) copy.CallbackDetails.Deadlines = copyObject(op.CallbackDetails.Deadlines);
  }
  if (op.ChainedInvokeDetails) {
    copy.ChainedInvokeDetails = copyObject(op.ChainedInvokeDetails);
    if (op.ChainedInvokeDetails.Error) copy.ChainedInvokeDetails.Error = cloneError(op.ChainedInvokeDetails.Error);
  }
  return copy;
}

/** Events hold only plain objects, arrays, strings, numbers, booleans and Dates. */
export function cloneEvent(event: HistoryEvent): HistoryEvent {
  return clonePlain(event);
}

function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = clonePlain((value as Record<string, unknown>)[key]);
  return copy as T;
}

export function cloneSummary(summary: ExecutionSummary): ExecutionSummary {
  const copy: ExecutionSummary = { ...summary, startTimestamp: cloneDate(summary.startTimestamp) };
  if (summary.endTimestamp) copy.endTimestamp = cloneDate(summary.endTimestamp);
  if (summary.error) copy.error = cloneError(summary.error);
  if (summary.blocked) {
    copy.blocked = { ...summary.blocked, since: cloneDate(summary.blocked.since), retryAt: cloneDate(summary.blocked.retryAt) };
  }
  return copy;
}
