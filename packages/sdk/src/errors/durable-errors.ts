import type { ErrorObject } from "../protocol/wire.js";
import type { CompletionReason } from "../types/batch.js";
import { splitCauses, toErrorObject } from "./error-object.js";

/**
 * Base of the errors a durable operation throws. They are rebuilt from checkpoints, so the same
 * failure reads the same (type, message, data, cause chain) on the first run and on every replay.
 */
export abstract class DurableOperationError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`), e.g. `"StepError"`. */
  abstract readonly errorType: string;
  /**
   * What the operation failed with, rebuilt from the checkpoint: an error with the original `name`,
   * `message` and `errorData` (a durable error when it crossed a child context).
   */
  override cause?: Error;
  /** Data the failure carried, as recorded (`ErrorData`). */
  errorData?: string;
  /** Declared as in the AWS SDK, which never fills it either: a rebuilt error's recorded frames are in `stack`. */
  stackTrace?: string[];

  /** Builds the error; the engine does this, handlers catch them. */
  constructor(message: string, cause?: Error, errorData?: string) {
    super(message);
    this.name = new.target.name;
    if (cause !== undefined) this.cause = cause;
    if (errorData !== undefined) this.errorData = errorData;
  }

  /** Rebuilds a durable error (or a plain Error named after ErrorType) from a checkpoint. */
  static fromErrorObject(object: ErrorObject): Error {
    return errorFromObject(object);
  }

  /** The error as a checkpoint records it, cause chain included. */
  toErrorObject(): ErrorObject {
    return toErrorObject(this);
  }
}

/**
 * A step failed for good: its retry strategy gave up (or its result could not be stored). `cause` is
 * the last attempt's error, rebuilt from the checkpoint.
 */
export class StepError extends DurableOperationError {
  /** `"StepError"`. */
  readonly errorType = "StepError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Step failed", cause, errorData);
  }
}

/**
 * A child context, map item or parallel branch failed; `cause` is what its function threw (e.g. a
 * StepError).
 */
export class ChildContextError extends DurableOperationError {
  /** `"ChildContextError"`. */
  readonly errorType = "ChildContextError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Child context failed", cause, errorData);
  }
}

/** A chained invoke failed, timed out or was stopped; `cause` carries the target's own error. */
export class InvokeError extends DurableOperationError {
  /** `"InvokeError"`. */
  readonly errorType = "InvokeError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Invoke failed", cause, errorData);
  }
}

/** A waitForCondition check threw, or its wait strategy gave up; `cause` says which. */
export class WaitForConditionError extends DurableOperationError {
  /** `"WaitForConditionError"`. */
  readonly errorType = "WaitForConditionError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Wait for condition failed", cause, errorData);
  }
}

/** A `ctx.promise` combinator (all / allSettled / any / race) rejected; `cause` is the rejection. */
export class PromiseCombinatorError extends DurableOperationError {
  /** `"PromiseCombinatorError"`. */
  readonly errorType = "PromiseCombinatorError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Promise combinator failed", cause, errorData);
  }
}

/** A batch completed as failed by a custom completion decision although no item failed. */
export class BatchCompletionError extends DurableOperationError {
  /** `"BatchCompletionError"`. */
  readonly errorType = "BatchCompletionError";
  constructor(
    /** Why the batch completed (`CUSTOM_COMPLETION_FAILED`). */
    readonly completionReason: CompletionReason,
    message = `Batch completed with ${completionReason}`,
    cause?: Error,
    errorData?: string,
  ) {
    super(message, cause, errorData);
  }
}

/**
 * Base of every callback failure, so `catch (e) { if (e instanceof CallbackError) ... }` sees them
 * all. The subclass (or `errorType`) says which kind: the external system reported a failure, the
 * callback timed out, or the submitter of a waitForCallback failed. `cause` carries the details
 * (the external error as sent; for a timeout an error named `Callback.Timeout` or
 * `Callback.Heartbeat`).
 */
export class CallbackError extends DurableOperationError {
  /** `"CallbackError"`, or the subclass's type. */
  readonly errorType: string = "CallbackError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback failed", cause, errorData);
  }
}

/** The external system completed the callback with a failure (sendCallbackFailure). */
export class CallbackExternalError extends CallbackError {
  /** `"CallbackExternalError"`. */
  override readonly errorType = "CallbackExternalError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback failed", cause, errorData);
  }
}

/**
 * The callback was not completed in time: its `timeout` passed (cause named `Callback.Timeout`) or
 * no heartbeat came within its `heartbeatTimeout` (cause named `Callback.Heartbeat`).
 */
export class CallbackTimeoutError extends CallbackError {
  /** `"CallbackTimeoutError"`. */
  override readonly errorType = "CallbackTimeoutError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback timed out", cause, errorData);
  }
}

/** The submitter of a waitForCallback failed for good (after its retry strategy gave up). */
export class CallbackSubmitterError extends CallbackError {
  /** `"CallbackSubmitterError"`. */
  override readonly errorType = "CallbackSubmitterError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback submitter failed", cause, errorData);
  }
}

/** An at-most-once step whose previous attempt was interrupted mid-body: it is not run again. */
export class StepInterruptedError extends Error {
  /** `"StepInterruptedError"`. */
  readonly errorType = "StepInterruptedError";
  constructor(stepId: string, stepName?: string) {
    super(
      `Step ${stepName ? `"${stepName}" ` : ""}(id ${stepId}) was interrupted during its previous attempt; ` +
        "it uses at-most-once semantics, so it is not re-run and the interruption goes to its retry strategy.",
    );
    this.name = "StepInterruptedError";
  }
}

const DURABLE_ERROR_CLASSES: Record<string, new (message?: string, cause?: Error, errorData?: string) => Error> = {
  StepError,
  ChildContextError,
  PromiseCombinatorError,
  InvokeError,
  WaitForConditionError,
  CallbackError,
  CallbackExternalError,
  CallbackTimeoutError,
  CallbackSubmitterError,
};

/** Whether `type` names one of the durable operation errors (StepError, CallbackError, …). */
export function isDurableErrorType(type: string | undefined): boolean {
  return type !== undefined && Object.hasOwn(DURABLE_ERROR_CLASSES, type);
}

/** Rebuilds an error and its cause chain from an ErrorObject. */
export function errorFromObject(object: ErrorObject): Error {
  const { own, causes } = splitCauses(object);
  let cause: Error | undefined;
  for (let i = causes.length - 1; i >= 0; i--) {
    cause = single(causes[i] as ErrorObject, cause);
  }
  return single(own, cause);
}

function single(object: ErrorObject, cause: Error | undefined): Error {
  const type = object.ErrorType ?? "Error";
  const message = object.ErrorMessage ?? "";
  const known = DURABLE_ERROR_CLASSES[type];
  let error: Error & { errorData?: string; errorType?: string };
  if (known) {
    error = new known(message, cause, object.ErrorData);
  } else if (type === "BatchCompletionError") {
    error = new BatchCompletionError("CUSTOM_COMPLETION_FAILED", message, cause, object.ErrorData);
  } else {
    error = new Error(message, cause ? { cause } : undefined);
    error.name = type;
    if (object.ErrorData !== undefined) error.errorData = object.ErrorData;
  }
  // The recorded frames go to `stack` only: the AWS SDK never fills `stackTrace`, so the rebuilt
  // error serializes (JSON.stringify, toEqual) with the same keys as on AWS.
  if (object.StackTrace) {
    error.stack = `${type}: ${message}\n    ${object.StackTrace.join("\n    ")}`;
  }
  return error;
}
