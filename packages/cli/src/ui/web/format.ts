// Display helpers, in the words and units the CLI uses.

/** 12ms, 1.25s, 3m 05s, 2h 07m, 1d 02h — as `cairn list` prints durations. */
export function formatDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m ${String(totalSeconds % 60).padStart(2, "0")}s`;
  const hours = Math.floor(totalMinutes / 60);
  if (hours >= 24) return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, "0")}h`;
  return `${hours}h ${String(totalMinutes % 60).padStart(2, "0")}m`;
}

/** A timestamp as local date and time, to the millisecond. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return "";
  const date = new Date(iso);
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A value as pretty JSON; a stored payload that is not JSON is shown as its text. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/** A stored payload decoded for display: JSON parsed, the default serdes' envelope unwrapped. */
export function payloadValue(payload: string | undefined): unknown {
  if (payload === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "__superjson" in parsed) {
      return (parsed as { __superjson?: { json?: unknown } }).__superjson?.json;
    }
    return parsed;
  } catch {
    return payload;
  }
}

/** The status as a CSS class: `status-succeeded`, `status-timed-out`. */
export function statusClass(status: string): string {
  return `status-${status.toLowerCase().replace(/_/g, "-")}`;
}

export { compareOperationIds } from "../../operation-order.js";

/** An operation's name, or for an unnamed one its kind in brackets: "(callback)", "(step)". */
export function displayName(op: { Name?: string; Type: string; SubType?: string }): string {
  return op.Name ?? `(${(op.SubType ?? op.Type).toLowerCase()})`;
}
