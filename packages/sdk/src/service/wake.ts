// When an orchestrator (local runner, CLI, worker pool) should next invoke an execution. Stores
// that index executions by due time (e.g. DynamoDB) keep this value beside each record.
import type { ExecutionRecord } from "./execution-record.js";
import { nextTimerOf } from "./timers.js";

/**
 * The earliest time the execution needs an invocation, or undefined when only something external
 * (a callback, a chained invoke) can move it on, or it has ended.
 *
 * - never invoked yet, or a wake-up pending (see ExecutionRecord.wakePending): its start time,
 *   i.e. already due;
 * - blocked by a replay mismatch: its retry time, whatever else is due (an invocation sooner would
 *   run the same code into the same mismatch);
 * - otherwise its next timer (wait end, step retry, callback timeout).
 *
 * A running invocation does not change the answer: whoever drives the execution decides whether
 * that invocation is alive (a lease) before starting another one.
 */
export function wakeAtOf(record: ExecutionRecord): Date | undefined {
  if (record.summary.status !== "RUNNING") return undefined;
  if (record.summary.blocked) return new Date(record.summary.blocked.retryAt.getTime());
  if (record.summary.invocationCount === 0 || record.wakePending) {
    return new Date(record.summary.startTimestamp.getTime());
  }
  return nextTimerOf(record);
}
