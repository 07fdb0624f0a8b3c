/**
 * An execution needed more invocations than the orchestrator allows. Usually a handler that keeps
 * suspending on short timers, or a crash loop that does make some progress each time.
 */
export class InvocationLimitError extends Error {
  /** `"InvocationLimitError"`. */
  readonly errorType = "InvocationLimitError";
  constructor(
    /** The execution. */
    readonly executionArn: string,
    /** The `maxInvocations` it reached. */
    readonly limit: number,
  ) {
    super(
      `Execution ${executionArn} was invoked ${limit} times without finishing. ` +
        "If that many invocations are expected, raise maxInvocations; otherwise look for a handler that " +
        "suspends or crashes on every invocation.",
    );
    this.name = "InvocationLimitError";
  }
}

/**
 * Invocations keep ending without changing anything: no checkpoint was stored and no timer fired.
 * Re-invoking would loop forever, so the orchestrator stops.
 */
export class NoProgressError extends Error {
  /** `"NoProgressError"`. */
  readonly errorType = "NoProgressError";
  constructor(
    /** The execution. */
    readonly executionArn: string,
    /** Consecutive invocations without progress. */
    readonly invocations: number,
    detail: string,
  ) {
    super(
      `Execution ${executionArn} made no progress in ${invocations} consecutive invocations (${detail}). ` +
        "The handler returned PENDING or crashed without storing a checkpoint while nothing it waits for " +
        "changed; check the handler's suspension logic or the fault injected into it.",
    );
    this.name = "NoProgressError";
  }
}
