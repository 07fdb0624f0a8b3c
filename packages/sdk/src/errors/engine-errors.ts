/**
 * Replay found a different operation at a position than the checkpoint recorded: the handler is not
 * deterministic. The execution fails; it never continues with a wrong cached result.
 */
export class NonDeterministicExecutionError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`); survives replay where `instanceof` does not. */
  readonly errorType = "NonDeterministicExecutionError";
  constructor(message: string) {
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
