/**
 * The DurableContext methods that start a durable operation (checkpointed, replayed in order).
 * `logger`, `configureLogger`, `configureSerdes`, `signal` and the like are not operations.
 */
export const DURABLE_METHODS: ReadonlySet<string> = new Set([
  "step",
  "wait",
  "runInChildContext",
  "createCallback",
  "waitForCallback",
  "map",
  "mapBatches",
  "parallel",
  "waitForCondition",
  "invoke",
]);

/** `ctx.promise.<name>`: combinators that are durable operations themselves. */
export const PROMISE_COMBINATORS: ReadonlySet<string> = new Set(["all", "allSettled", "any", "race"]);

/**
 * Operations whose function argument is a body that runs once, outside replay: its result is
 * stored and replay returns it without running the function again.
 */
export const BODY_METHODS: ReadonlyMap<string, string> = new Map([
  ["step", "step body"],
  ["waitForCondition", "waitForCondition check"],
  ["waitForCallback", "waitForCallback submitter"],
]);

/**
 * Operations whose function argument receives a child DurableContext of its own (map and
 * mapBatches items, parallel branches, runInChildContext).
 */
export const CHILD_METHODS: ReadonlySet<string> = new Set(["runInChildContext", "map", "mapBatches", "parallel"]);

/** Functions that turn a `(event, ctx) => ...` function into a durable handler. */
export const HANDLER_WRAPPERS: ReadonlySet<string> = new Set(["withDurableExecution"]);

/** The type name that marks a parameter or variable as a durable context. */
export const CONTEXT_TYPE_NAMES: ReadonlySet<string> = new Set(["DurableContext"]);

/** Type names that mark a function as a durable handler: `const run: DurableExecutionHandler<E, R> = async (event, ctx) => ...`. */
export const HANDLER_TYPE_NAMES: ReadonlySet<string> = new Set(["DurableExecutionHandler"]);
