/**
 * A durable operation was called on the wrong context: on a parent or sibling context from inside
 * a child context (runInChildContext, a map item, a parallel branch), or from inside a step body or
 * a waitForCondition check. The execution fails at once, before the operation writes anything, so
 * the mistake never turns into a replay mismatch later.
 *
 * Recorded with errorType "Error", as the AWS SDK records its context-usage error, so a ported
 * test comparing `getError()` passes; in process, `instanceof ContextUsageError` and `name` tell
 * it apart.
 */
export class ContextUsageError extends Error {
  /** `"Error"`, the type the AWS SDK records for this error (see above). */
  readonly errorType = "Error";
  constructor(message: string) {
    super(message);
    this.name = "ContextUsageError";
  }
}
