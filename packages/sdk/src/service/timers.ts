// Service-side time: wait ends, retry times and callback timeouts. The orchestrator asks for the next timer and
// fires due ones; the core decides what firing means.
import type { HistoryEvent } from "../protocol/history.js";
import type { Operation } from "../protocol/wire.js";
import { callbackTimeoutError, callbackTimeoutOf } from "./callback-deadlines.js";
import { timedOutCallback } from "./callbacks.js";
import { copyForUpdate } from "./clone.js";
import type { CoreContext } from "./core-context.js";
import { pendingTimerOf, withChangedOutside, type ExecutionMutation, type ExecutionRecord } from "./execution-record.js";
import { errorOf, operationEvent, waitDurationSeconds } from "./history-events.js";

/** Earliest pending timer of a RUNNING execution. O(number of pending timers). */
export function nextTimerOf(record: ExecutionRecord): Date | undefined {
  if (record.summary.status !== "RUNNING") return undefined;
  const earliest = earliestTimerOf(record);
  return earliest === Infinity ? undefined : new Date(earliest);
}

/**
 * The time (epoch ms) of the record's earliest pending timer with a valid time, Infinity when
 * there is none. Sets the record's timersNotBefore to it, or to undefined (unknown) when a timer
 * has no valid time. O(number of pending timers).
 */
function earliestTimerOf(record: ExecutionRecord): number {
  let earliest = Infinity;
  let valid = true;
  for (const id of record.timers) {
    const op = record.operations.get(id);
    const at = op && pendingTimerOf(op)?.getTime();
    if (at === undefined || Number.isNaN(at)) valid = false;
    else if (at < earliest) earliest = at;
  }
  record.timersNotBefore = valid ? earliest : undefined;
  return earliest;
}

/**
 * Ids of the operations whose timers may be due at `now`, in the order that breaks ties between
 * timers due at the same moment: the record's pending timers in the order they were set, then
 * `changed` (the ids a checkpoint is changing) not among them. While the record's timersNotBefore
 * says none of its pending timers is due, only `changed` can be, and none of the others is looked
 * at: the cost of a checkpoint no longer grows with the waits pending (a map whose 100 000 items
 * each wait looked at every one of them in every checkpoint). Otherwise every one is looked at,
 * which makes the bound exact again.
 */
export function timerCandidates(record: ExecutionRecord, now: Date, changed: readonly string[] = []): string[] {
  const bound = record.timersNotBefore;
  if (bound !== undefined && bound > now.getTime()) {
    const pending: string[] = [];
    const fresh: string[] = [];
    for (const id of changed) (record.timers.has(id) ? pending : fresh).push(id);
    // Two of them with a timer already would need their order in `timers`: look at them all.
    if (pending.length <= 1) return [...pending, ...fresh];
  }
  earliestTimerOf(record);
  const ids = new Set(record.timers);
  for (const id of changed) ids.add(id);
  return [...ids];
}

export interface FireTimersPlan {
  /** Undefined when nothing is due. */
  mutation: ExecutionMutation | undefined;
  firedOperationIds: string[];
}

/**
 * Fires every timer due at ctx.now, earliest first (ties in the order the timers were set): a STARTED wait
 * SUCCEEDS with a WaitSucceeded event; a PENDING step becomes READY (no event); a STARTED callback
 * TIMES OUT with a CallbackTimedOut event (ErrorType Callback.Timeout or Callback.Heartbeat).
 */
export function planFireDueTimers(record: ExecutionRecord, ctx: CoreContext): FireTimersPlan {
  if (record.summary.status !== "RUNNING") return { mutation: undefined, firedOperationIds: [] };
  const fired = fireDueTimers(
    timerCandidates(record, ctx.now).map((id) => record.operations.get(id)),
    ctx.now,
    record.eventCount + 1,
  );
  if (fired.operations.length === 0) return { mutation: undefined, firedOperationIds: [] };
  const mutation: ExecutionMutation = { seq: record.seq + 1, operations: fired.operations };
  if (fired.events.length > 0) mutation.events = fired.events;
  const firedOperationIds = fired.operations.map((op) => op.Id);
  // A running invocation learns of them in its next checkpoint response.
  const invocation = withChangedOutside(record, firedOperationIds);
  if (invocation) mutation.invocation = invocation;
  return { mutation, firedOperationIds };
}

/**
 * Fires the timers among `candidates` that are due at `now`, earliest first (ties in the order
 * given, which every store replays identically): the new operation versions and their events,
 * numbered from `firstEventId`.
 */
export function fireDueTimers(
  candidates: Iterable<Operation | undefined>,
  now: Date,
  firstEventId: number,
): { operations: Operation[]; events: HistoryEvent[] } {
  const at = new Date(now.getTime());
  const due: { op: Operation; at: number }[] = [];
  for (const op of candidates) {
    const timer = op && pendingTimerOf(op);
    if (op && timer && timer.getTime() <= at.getTime()) due.push({ op, at: timer.getTime() });
  }
  due.sort((a, b) => a.at - b.at);

  let nextEventId = firstEventId;
  const operations: Operation[] = [];
  const events: HistoryEvent[] = [];
  for (const { op: current } of due) {
    const callback = callbackTimeoutOf(current);
    if (callback) {
      const error = callbackTimeoutError(callback);
      const op = timedOutCallback(current, error, at);
      events.push(operationEvent("CallbackTimedOut", op, nextEventId++, at, "CallbackTimedOutDetails", { Error: errorOf(error) }));
      operations.push(op);
      continue;
    }
    const op = copyForUpdate(current);
    if (op.Type === "WAIT") {
      op.Status = "SUCCEEDED";
      op.EndTimestamp = at;
      const duration = waitDurationSeconds(op);
      events.push(
        operationEvent("WaitSucceeded", op, nextEventId++, at, "WaitSucceededDetails", duration === undefined ? {} : { Duration: duration }),
      );
    } else {
      op.Status = "READY";
    }
    operations.push(op);
  }
  return { operations, events };
}
