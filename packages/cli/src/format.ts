import type { Colors } from "./output.js";
import type { ErrorObject, Operation } from "@cairn/sdk";

/** 12ms, 1.25s, 3m 05s, 2h 07m. */
export function formatDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const seconds = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m ${String(seconds).padStart(2, "0")}s`;
  const hours = Math.floor(totalMinutes / 60);
  const days = Math.floor(hours / 24);
  if (days > 0) return `${days}d ${String(hours % 24).padStart(2, "0")}h`;
  return `${hours}h ${String(totalMinutes % 60).padStart(2, "0")}m`;
}

/** Whole seconds for a countdown: 5s, 2m 05s, 1h 02m 05s. */
export function formatCountdown(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m ${String(s).padStart(2, "0")}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

const ENVELOPE_KEY = "__superjson";

/**
 * A stored payload as a plain value for display. Values the default serdes wrapped with type
 * metadata are shown by their JSON part; text that is not JSON (a custom serdes) stays text.
 */
export function payloadValue(payload: string | undefined): unknown {
  if (payload === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && ENVELOPE_KEY in parsed) {
      const envelope = (parsed as Record<string, { json?: unknown } | undefined>)[ENVELOPE_KEY];
      return envelope?.json;
    }
    return parsed;
  } catch {
    return payload;
  }
}

/** One line, cut to `max` characters. */
export function payloadPreview(payload: string | undefined, max = 80): string {
  if (payload === undefined) return "";
  const value = payloadValue(payload);
  const text = typeof value === "string" && value === payload ? value : JSON.stringify(value) ?? "undefined";
  return truncate(text.replace(/\s+/g, " "), max);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export function formatErrorObject(error: ErrorObject | undefined): string {
  if (!error) return "unknown error";
  const type = error.ErrorType ?? "Error";
  return error.ErrorMessage ? `${type}: ${error.ErrorMessage}` : type;
}

// The words users know the operations by (ctx.step, ctx.parallel, …), keyed by wire sub-type.
const KIND_BY_SUBTYPE: Record<string, string> = {
  Step: "step",
  Wait: "wait",
  Callback: "callback",
  RunInChildContext: "child",
  Map: "map",
  MapIteration: "map-item",
  Parallel: "parallel",
  ParallelBranch: "branch",
  WaitForCallback: "wait-for-callback",
  WaitForCondition: "wait-for-condition",
  ChainedInvoke: "invoke",
};

export function operationKind(operation: Pick<Operation, "Type" | "SubType">): string {
  if (operation.SubType !== undefined) {
    return KIND_BY_SUBTYPE[operation.SubType] ?? `${operation.Type.toLowerCase()}:${operation.SubType}`;
  }
  return operation.Type.toLowerCase().replace(/_/g, "-");
}

/** TYPE or TYPE/SubType, as stored. */
export function operationType(operation: Pick<Operation, "Type" | "SubType">): string {
  return operation.SubType === undefined ? operation.Type : `${operation.Type}/${operation.SubType}`;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "STOPPED"]);

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

export function statusSymbol(status: string, color: Colors): string {
  switch (status) {
    case "SUCCEEDED":
      return color.green("✓");
    case "FAILED":
    case "TIMED_OUT":
      return color.red("✗");
    case "CANCELLED":
    case "STOPPED":
      return color.yellow("⊘");
    case "PENDING":
      return color.yellow("◷");
    case "READY":
      return color.cyan("○");
    default:
      return color.cyan("…");
  }
}

export function colorStatus(status: string, color: Colors): string {
  switch (status) {
    case "SUCCEEDED":
      return color.green(status);
    case "FAILED":
    case "TIMED_OUT":
      return color.red(status);
    case "RUNNING":
    case "STARTED":
      return color.cyan(status);
    default:
      return color.yellow(status);
  }
}

/**
 * The attempt a step is on: completed attempts for a finished step, the running or next one
 * otherwise (`StepDetails.Attempt` counts attempts that have completed).
 */
export function stepAttempt(operation: Operation): number | undefined {
  if (operation.Type !== "STEP") return undefined;
  const completed = operation.StepDetails?.Attempt ?? 0;
  return isTerminal(operation.Status) ? Math.max(completed, 1) : completed + 1;
}

export function operationDuration(operation: Operation, now: Date): number {
  const end = operation.EndTimestamp ?? now;
  return new Date(end).getTime() - new Date(operation.StartTimestamp).getTime();
}

/** Pads to `width` visible characters, ignoring ANSI escapes. */
export function padVisible(text: string, width: number): string {
  const visible = visibleLength(text);
  return visible >= width ? text : text + " ".repeat(width - visible);
}

export function visibleLength(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, "")].length;
}

/** Space-separated columns padded to the widest cell; trailing blanks trimmed. */
export function renderColumns(rows: string[][], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : padVisible(cell, (widths[i] ?? 0) + gap)))
      .join("")
      .trimEnd(),
  );
}
