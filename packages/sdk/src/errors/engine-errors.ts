/**
 * Replay found a different operation at a position than the checkpoint recorded: the handler is not
 * deterministic. The invocation ends FAILED; it never continues with a wrong cached result. Whether
 * that fails the execution is the orchestrator's choice (its `onNondeterminism` policy): AWS Lambda
 * fails it; the cairn CLI and the DynamoDB workers keep it RUNNING, blocked, and retry it.
 */
export class NonDeterministicExecutionError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`); survives replay where `instanceof` does not. */
  readonly errorType = "NonDeterministicExecutionError";
  /**
   * @param message - what diverged and what to do about it.
   * @param operationId - the id (position) of the operation whose replay diverged.
   */
  constructor(
    message: string,
    /** The id (position) of the operation whose replay diverged, when known. */
    readonly operationId?: string,
  ) {
    super(message);
    this.name = "NonDeterministicExecutionError";
  }
}

/** A value could not be (de)serialized for an operation; names the operation. */
export class SerdesError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`); survives replay where `instanceof` does not. */
  readonly errorType = "SerdesError";
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "SerdesError";
  }
}

/**
 * The checkpoint store refused or failed a write this invocation depends on (stale token, store
 * unavailable). The invocation stops without deciding the execution's outcome; nothing
 * acknowledged is lost, and the orchestrator re-invokes (or a newer invocation already owns it).
 */
export class CheckpointFailedError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`); survives replay where `instanceof` does not. */
  readonly errorType = "CheckpointFailedError";
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "CheckpointFailedError";
  }
}
