// Decisions for an execution blocked by a replay mismatch: the marker its summary carries and when
// it is retried. Retrying the same code would diverge again, so the delay doubles: a fix (or a
// revert) deployed meanwhile is picked up within the cap, and a forgotten one costs little.
import type { BlockingMismatch, ExecutionBlock, ExecutionSummary } from "./service-api.js";

/** Delay before the first retry of a blocked execution. */
export const FIRST_BLOCKED_RETRY_MS = 1000;
/** The longest delay between two retries of a blocked execution. */
export const MAX_BLOCKED_RETRY_MS = 5 * 60 * 1000;

/** The delay before retry number `attempts` (1-based): 1 s, doubling, capped at 5 minutes. */
export function blockedRetryDelayMs(attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(FIRST_BLOCKED_RETRY_MS * 2 ** exponent, MAX_BLOCKED_RETRY_MS);
}

/** The marker after one more invocation blocked on `mismatch` at `now`. */
export function nextBlock(previous: ExecutionBlock | undefined, mismatch: BlockingMismatch, now: Date): ExecutionBlock {
  const attempts = (previous?.attempts ?? 0) + 1;
  return {
    reason: "NonDeterministicExecution",
    operationId: mismatch.operationId,
    message: mismatch.message,
    since: new Date((previous?.since ?? now).getTime()),
    attempts,
    retryAt: new Date(now.getTime() + blockedRetryDelayMs(attempts)),
  };
}

/** `summary` without its blocked marker (the same object when it has none). */
export function unblocked(summary: ExecutionSummary): ExecutionSummary {
  if (summary.blocked === undefined) return summary;
  const { blocked: _blocked, ...rest } = summary;
  return rest;
}
