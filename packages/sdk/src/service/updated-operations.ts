import type { HistoryEvent } from "../protocol/history.js";
import { EXECUTION_OPERATION_ID } from "./execution-record.js";

/**
 * Ids of the operations that changed while no invocation ran — a wait's timer fired, a callback
 * was completed, a chained invoke finished — read from the history written since the last
 * InvocationCompleted. It becomes the invocation input's `UpdatedOperationIds`. Cost: the events
 * since the last invocation, not the whole history.
 */
export function updatedOperationIdsSince(history: readonly HistoryEvent[]): string[] {
  const ids = new Set<string>();
  for (let i = history.length - 1; i >= 0; i--) {
    const event = history[i] as HistoryEvent;
    if (event.EventType === "InvocationCompleted") break;
    if (event.Id !== undefined && event.Id !== EXECUTION_OPERATION_ID) ids.add(event.Id);
  }
  return [...ids].reverse();
}
