// Builds history events in the GetDurableExecutionHistory shape the conformance vectors expect.
// Absent values are left out rather than written as undefined-valued keys. Payload wrappers
// (EventInput / EventResult / EventError) always carry `Truncated`, as the service writes them:
// Cairn stores payloads whole, so it is always false.
import type { EventError, EventPayload, EventType, HistoryEvent } from "../protocol/history.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { cloneError } from "./clone.js";

type DetailsKey = Extract<keyof HistoryEvent, `${string}Details`>;

/** An EventInput / EventResult: the payload when there is one, and `Truncated: false`. */
export function payloadOf(payload: string | undefined): EventPayload {
  return payload === undefined ? { Truncated: false } : { Payload: payload, Truncated: false };
}

/** An EventError: a copy of the error when there is one, and `Truncated: false`. */
export function errorOf(error: ErrorObject | undefined): EventError {
  return error === undefined ? { Truncated: false } : { Payload: cloneError(error), Truncated: false };
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
