import type { HistoryEvent } from "../protocol/history.js";
import { EXECUTION_OPERATION_ID } from "./execution-record.js";

/** Events only something outside the handler writes: completions it cannot have seen itself. */
const EXTERNAL_COMPLETIONS = new Set<string>([
  "CallbackSucceeded",
  "CallbackFailed",
  "CallbackTimedOut",
  "ChainedInvokeSucceeded",
  "ChainedInvokeFailed",
  "ChainedInvokeTimedOut",
  "ChainedInvokeStopped",
]);

/**
 * Ids of the operations that changed since the last invocation saw them — a wait's timer fired, a
 * callback was completed, a chained invoke finished — read from the history: every event written
 * since the last InvocationCompleted, plus the external completions written while that last
 * invocation ran (it read its operations when it began, so it never saw them). It becomes the
 * invocation input's `UpdatedOperationIds`. Cost: the events of the last invocation and since.
 *
 * The history marks only an invocation's end; its start is the StartTimestamp of that
 * InvocationCompleted, and only completions strictly later count: one written before the
 * invocation began was reported to it already. On a clock that stands still while an invocation
 * runs (skipped time), a completion at the very instant it began cannot be told apart and is left
 * out rather than reported twice.
 */
export function updatedOperationIdsSince(history: readonly HistoryEvent[]): string[] {
  const ids = new Set<string>();
  let lastInvocationStart: number | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const event = history[i] as HistoryEvent;
    if (event.EventType === "InvocationCompleted") {
      if (lastInvocationStart !== undefined) break;
      const start = event.InvocationCompletedDetails?.StartTimestamp;
      if (start === undefined) break;
      lastInvocationStart = new Date(start).getTime();
      continue;
    }
    if (event.Id === undefined || event.Id === EXECUTION_OPERATION_ID) continue;
    if (lastInvocationStart === undefined) ids.add(event.Id);
    else if (EXTERNAL_COMPLETIONS.has(event.EventType) && new Date(event.EventTimestamp).getTime() > lastInvocationStart) ids.add(event.Id);
    else if (new Date(event.EventTimestamp).getTime() <= lastInvocationStart) break;
  }
  return [...ids].reverse();
}
