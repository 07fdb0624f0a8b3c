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

/** The few details of an event worth a glance; `inspect --json` has all of them. */
export function eventDetails(event: HistoryEvent): string {
  const parts: (string | undefined)[] = [];
  const e = event;
  switch (e.EventType) {
    case "ExecutionStarted":
      parts.push(payload("input", e.ExecutionStartedDetails?.Input));
      break;
    case "ExecutionSucceeded":
      parts.push(payload("result", e.ExecutionSucceededDetails?.Result));
      break;
    case "ExecutionFailed":
      parts.push(error(e.ExecutionFailedDetails?.Error));
      break;
    case "ExecutionTimedOut":
      parts.push(error(e.ExecutionTimedOutDetails?.Error));
      break;
    case "ExecutionStopped":
      parts.push(error(e.ExecutionStoppedDetails?.Error));
      break;
    case "ContextSucceeded":
      parts.push(payload("result", e.ContextSucceededDetails?.Result));
      break;
    case "ContextFailed":
      parts.push(error(e.ContextFailedDetails?.Error));
      break;
    case "WaitStarted": {
      const d = e.WaitStartedDetails;
      if (d?.Duration !== undefined) parts.push(`duration=${d.Duration}s`);
      parts.push(d?.ScheduledEndTimestamp === undefined ? undefined : `until=${iso(d.ScheduledEndTimestamp)}`);
      break;
    }
    case "WaitSucceeded":
      if (e.WaitSucceededDetails?.Duration !== undefined) parts.push(`duration=${e.WaitSucceededDetails.Duration}s`);
      break;
    case "WaitCancelled":
      parts.push(error(e.WaitCancelledDetails?.Error));
      break;
    case "StepSucceeded": {
      const d = e.StepSucceededDetails;
      if (d?.RetryDetails?.CurrentAttempt !== undefined) parts.push(`attempt=${d.RetryDetails.CurrentAttempt}`);
      parts.push(payload("result", d?.Result));
      break;
    }
    case "StepFailed": {
      const d = e.StepFailedDetails;
      if (d?.RetryDetails?.CurrentAttempt !== undefined) parts.push(`attempt=${d.RetryDetails.CurrentAttempt}`);
      if (d?.RetryDetails?.NextAttemptDelaySeconds !== undefined) {
        parts.push(`retry-in=${d.RetryDetails.NextAttemptDelaySeconds}s`);
      }
      parts.push(error(d?.Error));
      break;
    }
    case "ChainedInvokeStarted":
      if (e.ChainedInvokeStartedDetails?.FunctionName) parts.push(`function=${e.ChainedInvokeStartedDetails.FunctionName}`);
      parts.push(payload("input", e.ChainedInvokeStartedDetails?.Input));
      break;
    case "ChainedInvokeSucceeded":
      parts.push(payload("result", e.ChainedInvokeSucceededDetails?.Result));
      break;
    case "ChainedInvokeFailed":
      parts.push(error(e.ChainedInvokeFailedDetails?.Error));
      break;
    case "ChainedInvokeTimedOut":
      parts.push(error(e.ChainedInvokeTimedOutDetails?.Error));
      break;
    case "ChainedInvokeStopped":
      parts.push(error(e.ChainedInvokeStoppedDetails?.Error));
      break;
    case "CallbackStarted": {
      const d = e.CallbackStartedDetails;
      if (d?.CallbackId) parts.push(`callbackId=${d.CallbackId}`);
      if (d?.Timeout) parts.push(`timeout=${d.Timeout}s`);
      if (d?.HeartbeatTimeout) parts.push(`heartbeat=${d.HeartbeatTimeout}s`);
      break;
    }
    case "CallbackSucceeded":
      parts.push(payload("result", e.CallbackSucceededDetails?.Result));
      break;
    case "CallbackFailed":
      parts.push(error(e.CallbackFailedDetails?.Error));
      break;
    case "CallbackTimedOut":
      parts.push(error(e.CallbackTimedOutDetails?.Error));
      break;
    case "InvocationCompleted": {
      const d = e.InvocationCompletedDetails;
      if (d?.RequestId) parts.push(`request=${d.RequestId}`);
      if (d?.StartTimestamp !== undefined && d.EndTimestamp !== undefined) {
        parts.push(`took=${formatDuration(new Date(d.EndTimestamp).getTime() - new Date(d.StartTimestamp).getTime())}`);
      }
      parts.push(error(d?.Error));
      break;
    }
    default:
      break;
  }
  return parts.filter((p): p is string => p !== undefined && p !== "").join("  ");
}

function eventColor(type: string, color: Colors): (text: string) => string {
  if (/Failed$|TimedOut$/.test(type)) return color.red;
  if (/Succeeded$/.test(type)) return color.green;
  if (/Cancelled$|Stopped$/.test(type)) return color.yellow;
  if (type === "InvocationCompleted") return color.dim;
  return (text) => text;
}

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
