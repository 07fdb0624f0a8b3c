// When a worker should next look at an execution: the value kept in the due index. The store
// writes it with every commit; a worker releasing its lease writes it again.
import { wakeAtOf, type ExecutionRecord } from "@cairn/sdk/service";

/**
 * Epoch ms at which the execution needs a worker, or undefined when nothing will (it ended, or it
 * waits for a callback with no timeout).
 *
 * - An invocation is running: `leaseMs` from now, so that if its worker dies another takes over.
 * - Otherwise the core's wakeAtOf: at once when never invoked or a wake-up is pending (a callback
 *   or a chained invoke completed), else its next timer.
 * - Waiting on the target of a chained invoke: at the latest `leaseMs` from now. The worker that
 *   finishes the target reports back to the parent; should it die in between, this later look
 *   completes the invoke from the target's stored outcome.
 */
export function dueAtOf(record: ExecutionRecord, now: number, leaseMs: number): number | undefined {
  if (record.summary.status !== "RUNNING") return undefined;
  if (record.invocation) return now + leaseMs;
  const wake = wakeAtOf(record)?.getTime();
  if (wake !== undefined && wake <= now) return wake;
  if (!waitsOnChainedInvoke(record)) return wake;
  return wake === undefined ? now + leaseMs : Math.min(wake, now + leaseMs);
}

/** Whether a chained invoke of the execution is still waiting for its target. */
export function waitsOnChainedInvoke(record: ExecutionRecord): boolean {
  for (const op of record.operations.values()) {
    if (op.Type === "CHAINED_INVOKE" && op.Status === "STARTED") return true;
  }
  return false;
}
