// Builds history events in the GetDurableExecutionHistory shape the conformance vectors expect.
// Absent values are left out rather than written as undefined-valued keys.
import type { EventError, EventPayload, EventType, HistoryEvent } from "../protocol/history.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { cloneError } from "./clone.js";

type DetailsKey = Extract<keyof HistoryEvent, `${string}Details`>;

export function payloadOf(payload: string | undefined): EventPayload {
  return payload === undefined ? {} : { Payload: payload };
}

export function errorOf(error: ErrorObject | undefined): EventError {
  return error === undefined ? {} : { Payload: cloneError(error) };
}

/** An event about one operation; carries its SubType, Id, Name and ParentId when set. */
export function operationEvent<K extends DetailsKey>(
  eventType: EventType,
  op: Pick<Operation, "Id" | "SubType" | "Name" | "ParentId">,
  eventId: number,
  now: Date,
  detailsKey: K,
  details: NonNullable<HistoryEvent[K]>,
): HistoryEvent {
  // Key order follows the service's own events, which keeps logs and diffs readable.
  const event = { EventType: eventType } as HistoryEvent;
  if (op.SubType !== undefined) event.SubType = op.SubType;
  event.EventId = eventId;
  event.Id = op.Id;
  if (op.Name !== undefined) event.Name = op.Name;
  event.EventTimestamp = new Date(now.getTime());
  if (op.ParentId !== undefined) event.ParentId = op.ParentId;
  event[detailsKey] = details;
  return event;
}

/** An execution-level event (ExecutionStarted/Succeeded/Failed, InvocationCompleted). */
export function executionEvent<K extends DetailsKey>(
  eventType: EventType,
  eventId: number,
  now: Date,
  detailsKey: K,
  details: NonNullable<HistoryEvent[K]>,
  operationId?: string,
): HistoryEvent {
  const event: HistoryEvent = { EventType: eventType, EventId: eventId, EventTimestamp: new Date(now.getTime()) };
  if (operationId !== undefined) event.Id = operationId;
  event[detailsKey] = details;
  return event;
}

/** Whole seconds between a wait's start and its scheduled end (what it was started with). */
export function waitDurationSeconds(op: Operation): number | undefined {
  const end = op.WaitDetails?.ScheduledEndTimestamp;
  if (end === undefined) return undefined;
  return Math.round((end.getTime() - op.StartTimestamp.getTime()) / 1000);
}
