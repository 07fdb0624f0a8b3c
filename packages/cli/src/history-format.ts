import { formatDuration, formatErrorObject, payloadPreview, renderColumns } from "./format.js";
import { colors, type Colors } from "./output.js";
import type { ErrorObject, HistoryEvent } from "@cairn/sdk";

interface EventPayloadLike {
  Payload?: string | undefined;
  Truncated?: boolean | undefined;
}
interface EventErrorLike {
  Payload?: ErrorObject | undefined;
  Truncated?: boolean | undefined;
}

function payload(label: string, value: EventPayloadLike | undefined): string | undefined {
  if (value?.Payload === undefined) return undefined;
  return `${label}=${payloadPreview(value.Payload, 60)}${value.Truncated ? " (truncated)" : ""}`;
}

function error(value: EventErrorLike | undefined): string | undefined {
  if (value?.Payload === undefined) return undefined;
  return `error=${formatErrorObject(value.Payload)}`;
}

function iso(date: Date | string | undefined): string | undefined {
  return date === undefined ? undefined : new Date(date).toISOString();
}

/** The details fields this view shows; every event type's `<EventType>Details` uses these names. */
interface AnyEventDetails {
  FunctionName?: string;
  CallbackId?: string;
  Timeout?: number;
  HeartbeatTimeout?: number;
  Duration?: number;
  ScheduledEndTimestamp?: Date | string;
  RetryDetails?: { CurrentAttempt?: number; NextAttemptDelaySeconds?: number };
  RequestId?: string;
  StartTimestamp?: Date | string;
  EndTimestamp?: Date | string;
  Input?: EventPayloadLike;
  Result?: EventPayloadLike;
  Error?: EventErrorLike;
}

/** The few details of an event worth a glance; `inspect --json` has all of them. */
export function eventDetails(event: HistoryEvent): string {
  const d = (event as unknown as Record<string, AnyEventDetails | undefined>)[`${event.EventType}Details`];
  if (!d) return "";
  const parts: (string | undefined)[] = [];
  if (d.FunctionName) parts.push(`function=${d.FunctionName}`);
  if (d.CallbackId) parts.push(`callbackId=${d.CallbackId}`);
  if (d.Timeout) parts.push(`timeout=${d.Timeout}s`);
  if (d.HeartbeatTimeout) parts.push(`heartbeat=${d.HeartbeatTimeout}s`);
  if (d.Duration !== undefined) parts.push(`duration=${d.Duration}s`);
  if (d.ScheduledEndTimestamp !== undefined) parts.push(`until=${iso(d.ScheduledEndTimestamp)}`);
  if (d.RetryDetails?.CurrentAttempt !== undefined) parts.push(`attempt=${d.RetryDetails.CurrentAttempt}`);
  if (d.RetryDetails?.NextAttemptDelaySeconds !== undefined) parts.push(`retry-in=${d.RetryDetails.NextAttemptDelaySeconds}s`);
  if (d.RequestId) parts.push(`request=${d.RequestId}`);
  if (d.StartTimestamp !== undefined && d.EndTimestamp !== undefined) {
    parts.push(`took=${formatDuration(new Date(d.EndTimestamp).getTime() - new Date(d.StartTimestamp).getTime())}`);
  }
  parts.push(payload("input", d.Input), payload("result", d.Result), error(d.Error));
  return parts.filter((p): p is string => p !== undefined && p !== "").join("  ");
}

function eventColor(type: string, color: Colors): (text: string) => string {
  if (/Failed$|TimedOut$/.test(type)) return color.red;
  if (/Succeeded$/.test(type)) return color.green;
  if (/Cancelled$|Stopped$/.test(type)) return color.yellow;
  if (type === "InvocationCompleted") return color.dim;
  return (text) => text;
}

/**
 * An execution's history as aligned text lines — event number, time, event type (with sub-type),
 * operation id and name, and {@link eventDetails} — the table `cairn inspect --history` prints.
 *
 * @param options - `color`: ANSI styles (default none); `indent`: prefix of every line (default two spaces).
 */
export function renderHistory(events: readonly HistoryEvent[], options: { color?: Colors; indent?: string } = {}): string[] {
  const color = options.color ?? colors(false);
  const indent = options.indent ?? "  ";
  if (events.length === 0) return [`${indent}${color.dim("(no events)")}`];
  const header = ["#", "TIME", "EVENT", "ID", "NAME", "DETAILS"].map((h) => color.dim(h));
  const rows = events.map((event) => [
    String(event.EventId),
    iso(event.EventTimestamp) ?? "",
    eventColor(event.EventType, color)(event.SubType ? `${event.EventType} (${event.SubType})` : event.EventType),
    event.Id ?? "",
    event.Name ?? "",
    eventDetails(event),
  ]);
  return renderColumns([header, ...rows]).map((line) => indent + line);
}
