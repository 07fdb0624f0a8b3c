import { AsyncLocalStorage } from "node:async_hooks";
import { ContextUsageError } from "../errors/context-usage-error.js";
import type { InvocationEngine } from "../engine/invocation-engine.js";

/**
 * Where handler code is running: inside a context's function (the handler, a child context, a map
 * item, a parallel branch) or inside a body that must not start durable operations (a step body,
 * a waitForCondition check). Contexts and bodies already exist as objects, so they are their own
 * scope: entering one allocates nothing.
 */
export interface Scope {
  /** True for a step body or a check: no durable operation may start inside it. */
  readonly isBody: boolean;
  /** How an error message names it, e.g. `the body of step "charge" (id 3)`. */
  readonly scopeDescription: string;
}

// AsyncLocalStorage follows the handler's own async calls and awaits, so the scope is known at the
// moment an operation is called, however far down the call chain. It is a Node module; Lambda's
// Node runtimes (and every runtime Cairn's orchestrators run on) provide it.
const storage = new AsyncLocalStorage<Scope>();

/** The AWS SDK's wording for every misuse, which ported tests match on; Cairn's details follow it. */
const PARENT_OR_SIBLING = "You are using a parent or sibling context instead of the current child context";

/** Calls `fn(arg)` with `scope` active for it and everything it awaits or starts. */
export function runInScope<A, R>(scope: Scope, fn: (arg: A) => R, arg: A): R {
  return storage.run(scope, fn, arg);
}

/**
 * Whether calling the operation `kind` (named `nameArgument` when that is a string) on `context`
 * here is a misuse. If it is, the execution fails with a ContextUsageError (which the handler
 * cannot catch) and the caller must start nothing. Code run under no scope (e.g. a test calling a
 * context directly) is not checked.
 */
export function misusedContext(engine: InvocationEngine, context: Scope, kind: string, nameArgument: unknown): boolean {
  const active = storage.getStore();
  if (active === undefined || active === context) return false;
  const operation = typeof nameArgument === "string" ? `${kind} ${JSON.stringify(nameArgument)}` : kind;
  engine.failAfterQueued(new ContextUsageError(usageMessage(active, context, operation)));
  return true;
}

function usageMessage(active: Scope, context: Scope, operation: string): string {
  if (active.isBody) {
    return (
      `Context usage error in ${operation}: ${PARENT_OR_SIBLING}: it was called inside ${active.scopeDescription}. A step body or a ` +
      "waitForCondition check cannot run durable operations: nothing inside it is checkpointed on its own, so a " +
      "replay could not find them. Do the work directly in the body, or move the operation out of it (use " +
      "runInChildContext to group several operations)."
    );
  }
  return (
    `Context usage error in ${operation}: ${PARENT_OR_SIBLING}: it was called on ${context.scopeDescription} while the code runs inside ` +
    `${active.scopeDescription}. Inside runInChildContext, a map item or a parallel branch, call operations on the ` +
    "context that function receives (its parameter), not on an enclosing or sibling context."
  );
}
