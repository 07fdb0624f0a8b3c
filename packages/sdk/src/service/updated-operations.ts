import type { HistoryEvent } from "../protocol/history.js";
import { EXECUTION_OPERATION_ID } from "../protocol/wire.js";

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
 *
 * Records keep the same answer up to date as events are applied ({@link UpdatedOperationsTracker}),
 * so a store need not hold the history; this form reads a history that is at hand.
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

/**
 * `updatedOperationIdsSince`, kept up to date event by event so the answer needs no history.
 * Holds only ids of events written while no invocation ran, and external completions written since
 * the last InvocationCompleted: an invocation's own events (the bulk of a history) are never held,
 * since an InvocationCompleted always follows them before the answer is asked for (it is asked for
 * only when no invocation runs, and every invocation is closed by one).
 *
 * Timestamps within one execution never go backwards (one clock decides them), which is what lets
 * it filter by the invocation's start where the history form stops reading.
 */
export class UpdatedOperationsTracker {
  /** The answer so far, ordered by each id's latest qualifying event (Map order = insertion order). */
  private ids = new Map<string, true>();
  /** External completions since the last InvocationCompleted: the next one picks the late ones. */
  private externals: { id: string; at: number }[] = [];

  /** Takes in one applied event; `invocationRunning` is whether an invocation owned the execution as it was applied. */
  observe(event: HistoryEvent, invocationRunning: boolean): void {
    if (event.EventType === "InvocationCompleted") {
      const start = event.InvocationCompletedDetails?.StartTimestamp;
      const ids = new Map<string, true>();
      if (start !== undefined) {
        const startMs = new Date(start).getTime();
        for (const { id, at } of this.externals) {
          if (at <= startMs) continue;
          ids.delete(id);
          ids.set(id, true);
        }
      }
      this.ids = ids;
      this.externals = [];
      return;
    }
    const id = event.Id;
    if (id === undefined || id === EXECUTION_OPERATION_ID) return;
    if (EXTERNAL_COMPLETIONS.has(event.EventType)) this.externals.push({ id, at: new Date(event.EventTimestamp).getTime() });
    if (!invocationRunning) {
      this.ids.delete(id);
      this.ids.set(id, true);
    }
  }

  /** The ids, oldest change first. */
  current(): string[] {
    return [...this.ids.keys()];
  }
}
