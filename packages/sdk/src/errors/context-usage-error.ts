/**
 * A durable operation was called on the wrong context: on a parent or sibling context from inside
 * a child context (runInChildContext, a map item, a parallel branch), or from inside a step body or
 * a waitForCondition check. The execution fails at once, before the operation writes anything, so
 * the mistake never turns into a replay mismatch later.
 */
export class ContextUsageError extends Error {
  readonly errorType = "ContextUsageError";
  constructor(message: string) {
    super(message);
    this.name = "ContextUsageError";
  }
}
