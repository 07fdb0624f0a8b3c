// Errors the checkpoint service raises. Each has a stable `name` and `errorType` so callers
// (engine, runner, CLI) can branch on them without parsing messages.

/** Base class of every error the checkpoint service and its stores raise. */
export abstract class CheckpointServiceError extends Error {
  abstract readonly errorType: string;
}

/**
 * The checkpoint token is not the execution's current one: a newer invocation owns the execution
 * (or the invocation already ended). The invocation that holds this token must stop.
 */
export class StaleCheckpointTokenError extends CheckpointServiceError {
  override readonly name = "StaleCheckpointTokenError";
  readonly errorType = "InvalidCheckpointToken";
  constructor(
    readonly executionArn: string,
    detail = "a newer invocation owns the execution",
  ) {
    super(
      `Stale checkpoint token for ${executionArn}: ${detail}. ` +
        "This invocation must stop; nothing it sends from now on is recorded.",
    );
  }
}

/** An update in a checkpoint batch is invalid. Nothing of the batch was applied. */
export class InvalidCheckpointError extends CheckpointServiceError {
  override readonly name = "InvalidCheckpointError";
  readonly errorType = "InvalidCheckpoint";
  constructor(
    readonly operationId: string,
    readonly action: string,
    readonly reason: string,
    readonly updateIndex?: number,
  ) {
    super(
      `Invalid checkpoint update ${updateIndex === undefined ? "" : `#${updateIndex} `}` +
        `(${action} of operation "${operationId}"): ${reason}. No update of this batch was applied.`,
    );
  }
}

/** The execution already SUCCEEDED/FAILED: it accepts no checkpoints or invocations. */
export class ExecutionClosedError extends CheckpointServiceError {
  override readonly name = "ExecutionClosedError";
  readonly errorType = "ExecutionClosed";
  constructor(
    readonly executionArn: string,
    readonly status: string,
  ) {
    super(`Execution ${executionArn} is already ${status}; it accepts no more checkpoints or invocations.`);
  }
}

export class ExecutionNotFoundError extends CheckpointServiceError {
  override readonly name = "ExecutionNotFoundError";
  readonly errorType = "ResourceNotFound";
  constructor(readonly executionArn: string) {
    super(`No execution ${executionArn} in this store. Check the ARN and that the same store directory is used.`);
  }
}

/** startExecution was called with a name that already belongs to an execution with other input. */
export class ExecutionAlreadyExistsError extends CheckpointServiceError {
  override readonly name = "ExecutionAlreadyExistsError";
  readonly errorType = "ExecutionAlreadyExists";
  constructor(
    readonly executionName: string,
    readonly executionArn: string,
  ) {
    super(
      `Execution name "${executionName}" is already used by ${executionArn} with a different input. ` +
        "Use a new name, or the same input to get the existing execution back.",
    );
  }
}

/** A request parameter (other than a checkpoint update) is malformed. */
export class InvalidRequestError extends CheckpointServiceError {
  override readonly name = "InvalidRequestError";
  readonly errorType = "InvalidParameterValue";
}

/** A file-store log is damaged somewhere other than its last record. */
export class CorruptLogError extends CheckpointServiceError {
  override readonly name = "CorruptLogError";
  readonly errorType = "CorruptLog";
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `Execution log ${file} is corrupt at byte offset ${offset}: ${reason}. ` +
        "Only a damaged last record is repaired automatically; restore the file from a backup or remove the execution.",
    );
  }
}

/** A file-store lock could not be acquired in time (another live process keeps holding it). */
export class StoreLockTimeoutError extends CheckpointServiceError {
  override readonly name = "StoreLockTimeoutError";
  readonly errorType = "StoreLockTimeout";
  constructor(
    readonly lockFile: string,
    readonly holder: string,
  ) {
    super(
      `Timed out waiting for lock ${lockFile} held by ${holder}. If no Cairn process is using this store, delete the lock file.`,
    );
  }
}

/** A callback id that is not shaped like one Cairn issues (truncated, mangled, or from elsewhere). */
export class InvalidCallbackIdError extends CheckpointServiceError {
  override readonly name = "InvalidCallbackIdError";
  readonly errorType = "InvalidParameterValue";
  constructor(
    readonly callbackId: string,
    readonly reason: string,
  ) {
    super(
      `Invalid callback id ${JSON.stringify(callbackId.length > 80 ? `${callbackId.slice(0, 80)}…` : callbackId)}: ${reason}. ` +
        "Pass the id exactly as createCallback / waitForCallback handed it out.",
    );
  }
}

/** No callback with this id exists in this store (wrong store, deleted execution, or a forged id). */
export class CallbackNotFoundError extends CheckpointServiceError {
  override readonly name = "CallbackNotFoundError";
  readonly errorType = "ResourceNotFound";
  constructor(readonly callbackId: string) {
    super(`No callback ${callbackId} in this store. Check the id and that the same store is used.`);
  }
}

/** The callback already succeeded, failed or timed out: it accepts no more results or heartbeats. */
export class CallbackAlreadyCompletedError extends CheckpointServiceError {
  override readonly name = "CallbackAlreadyCompletedError";
  readonly errorType = "CallbackAlreadyCompleted";
  constructor(
    readonly callbackId: string,
    readonly status: string,
  ) {
    super(`Callback ${callbackId} is already ${status}; it accepts no more results or heartbeats. Nothing was changed.`);
  }
}
