// Errors the checkpoint service raises. Each has a stable `name` and `errorType` so callers
// (engine, runner, CLI) can branch on them without parsing messages.

/** Base class of every error the checkpoint service and its stores raise. */
export abstract class CheckpointServiceError extends Error {
  /** A stable type to branch on (the AWS service's error code where there is one). */
  abstract readonly errorType: string;
}

/**
 * The checkpoint token is not the execution's current one: a newer invocation owns the execution
 * (or the invocation already ended). The invocation that holds this token must stop.
 */
export class StaleCheckpointTokenError extends CheckpointServiceError {
  /** `"StaleCheckpointTokenError"`. */
  override readonly name = "StaleCheckpointTokenError";
  /** `"InvalidCheckpointToken"`, as the AWS service says. */
  readonly errorType = "InvalidCheckpointToken";
  constructor(
    /** The execution. */
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
  /** `"InvalidCheckpointError"`. */
  override readonly name = "InvalidCheckpointError";
  /** `"InvalidCheckpoint"`. */
  readonly errorType = "InvalidCheckpoint";
  constructor(
    /** The operation the update names. */
    readonly operationId: string,
    /** The update's action. */
    readonly action: string,
    /** What is wrong with it. */
    readonly reason: string,
    /** Its position in the batch. */
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
  /** `"ExecutionClosedError"`. */
  override readonly name = "ExecutionClosedError";
  /** `"ExecutionClosed"`. */
  readonly errorType = "ExecutionClosed";
  constructor(
    /** The execution. */
    readonly executionArn: string,
    /** Its final status. */
    readonly status: string,
  ) {
    super(`Execution ${executionArn} is already ${status}; it accepts no more checkpoints or invocations.`);
  }
}

/** No execution with this ARN in the store. */
export class ExecutionNotFoundError extends CheckpointServiceError {
  /** `"ExecutionNotFoundError"`. */
  override readonly name = "ExecutionNotFoundError";
  /** `"ResourceNotFound"`. */
  readonly errorType = "ResourceNotFound";
  constructor(
    /** The ARN asked for. */
    readonly executionArn: string,
  ) {
    super(`No execution ${executionArn} in this store. Check the ARN and that the same store directory is used.`);
  }
}

/** startExecution was called with a name that already belongs to an execution with other input. */
export class ExecutionAlreadyExistsError extends CheckpointServiceError {
  /** `"ExecutionAlreadyExistsError"`. */
  override readonly name = "ExecutionAlreadyExistsError";
  /** `"ExecutionAlreadyExists"`. */
  readonly errorType = "ExecutionAlreadyExists";
  constructor(
    /** The name asked for. */
    readonly executionName: string,
    /** The execution that has it. */
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
  /** `"InvalidRequestError"`. */
  override readonly name = "InvalidRequestError";
  /** `"InvalidParameterValue"`. */
  readonly errorType = "InvalidParameterValue";
}

/** A file-store log is damaged somewhere other than its last record. */
export class CorruptLogError extends CheckpointServiceError {
  /** `"CorruptLogError"`. */
  override readonly name = "CorruptLogError";
  /** `"CorruptLog"`. */
  readonly errorType = "CorruptLog";
  constructor(
    /** The damaged log file. */
    readonly file: string,
    /** Byte offset of the damage. */
    readonly offset: number,
    /** What is wrong there. */
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
  /** `"StoreLockTimeoutError"`. */
  override readonly name = "StoreLockTimeoutError";
  /** `"StoreLockTimeout"`. */
  readonly errorType = "StoreLockTimeout";
  constructor(
    /** The lock file. */
    readonly lockFile: string,
    /** The lock file's content, naming the holding process. */
    readonly holder: string,
  ) {
    super(
      `Timed out waiting for lock ${lockFile} held by ${holder}. If no Cairn process is using this store, delete the lock file.`,
    );
  }
}

/** A callback id that is not shaped like one Cairn issues (truncated, mangled, or from elsewhere). */
export class InvalidCallbackIdError extends CheckpointServiceError {
  /** `"InvalidCallbackIdError"`. */
  override readonly name = "InvalidCallbackIdError";
  /** `"InvalidParameterValue"`. */
  readonly errorType = "InvalidParameterValue";
  constructor(
    /** The id given. */
    readonly callbackId: string,
    /** What is wrong with it. */
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
  /** `"CallbackNotFoundError"`. */
  override readonly name = "CallbackNotFoundError";
  /** `"ResourceNotFound"`. */
  readonly errorType = "ResourceNotFound";
  constructor(
    /** The id given. */
    readonly callbackId: string,
  ) {
    super(`No callback ${callbackId} in this store. Check the id and that the same store is used.`);
  }
}

/** The callback already succeeded, failed or timed out: it accepts no more results or heartbeats. */
export class CallbackAlreadyCompletedError extends CheckpointServiceError {
  /** `"CallbackAlreadyCompletedError"`. */
  override readonly name = "CallbackAlreadyCompletedError";
  /** `"CallbackAlreadyCompleted"`. */
  readonly errorType = "CallbackAlreadyCompleted";
  constructor(
    /** The callback's id. */
    readonly callbackId: string,
    /** How it ended. */
    readonly status: string,
  ) {
    super(`Callback ${callbackId} is already ${status}; it accepts no more results or heartbeats. Nothing was changed.`);
  }
}
