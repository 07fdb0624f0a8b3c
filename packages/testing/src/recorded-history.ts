// Reads a recorded execution in any of the shapes it is exported in, into the operations a replay
// starts from. Files are JSON, so timestamps arrive as strings: they are turned back into Dates.
import type { HistoryEvent, Operation } from "@cairn/sdk";
import { isExecutionEnd, operationsFromHistory } from "./operations-from-history.js";

/** A recorded execution as a replay needs it. */
export interface RecordedExecution {
  /** Every operation the recording holds, the EXECUTION first. */
  operations: Operation[];
  /** Whether the recording shows the execution ended (any status but RUNNING). */
  ended: boolean;
  /** The execution's status in the recording: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED. */
  status: string;
}

const SHAPES =
  "pass the JSON `cairn inspect --json` (or `cairn export`) writes, a GetDurableExecutionHistory output ({ Events: [...] }) " +
  "or an array of history events";

/**
 * The operations and end state of a recorded execution, from what `cairn inspect --json` writes
 * (`{ status, operations, ... }`), a GetDurableExecutionHistory output (`{ Events }`), an array of
 * history events (what the checkpoint service's `getHistory` and `@cairn/dynamodb`'s client
 * return), or any of these as JSON text.
 */
export function readRecordedExecution(recording: unknown, where = "history"): RecordedExecution {
  const value = typeof recording === "string" ? parseJson(recording, where) : recording;
  if (Array.isArray(value)) return fromEvents(value, where);
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${where} is ${value === null ? "null" : typeof value}: ${SHAPES}.`);
  }
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.operations)) return fromInspectJson(record, where);
  if (Array.isArray(record.Events)) return fromEvents(record.Events, `${where}.Events`);
  throw new TypeError(`${where} has neither \`operations\` nor \`Events\`: ${SHAPES}.`);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${where} is not valid JSON (${(error as Error).message}): ${SHAPES}.`);
  }
}

function fromEvents(events: unknown[], where: string): RecordedExecution {
  events.forEach((event, i) => {
    const e = event as Partial<HistoryEvent> | null;
    if (typeof e !== "object" || e === null || typeof e.EventType !== "string") {
      throw new TypeError(`${where}[${i}] is not a history event (it has no EventType): ${SHAPES}.`);
    }
  });
  const typed = events.map((event) => withDates(event) as HistoryEvent);
  const operations = operationsFromHistory(typed);
  if (!operations.some((op) => op.Type === "EXECUTION")) {
    throw new TypeError(`${where} has no ExecutionStarted event: export the whole history, from its first event.`);
  }
  const end = typed.findLast((event) => isExecutionEnd(event));
  return { operations, ended: end !== undefined, status: end ? statusOfEnd(end.EventType) : "RUNNING" };
}

function fromInspectJson(record: Record<string, unknown>, where: string): RecordedExecution {
  const status = record.status;
  if (typeof status !== "string") {
    throw new TypeError(`${where}.status is missing: a file from \`cairn inspect --json\` has the execution's status (RUNNING, SUCCEEDED, ...).`);
  }
  const operations = (record.operations as unknown[]).map((op, i) => {
    const o = op as Partial<Operation> | null;
    if (typeof o !== "object" || o === null || typeof o.Id !== "string" || typeof o.Type !== "string") {
      throw new TypeError(`${where}.operations[${i}] is not an operation (it needs Id and Type).`);
    }
    return withDates(o) as Operation;
  });
  if (!operations.some((op) => op.Type === "EXECUTION")) {
    // Older exports list only the handler's operations: the input is in the summary.
    const input = record.input === undefined ? undefined : JSON.stringify(record.input);
    operations.unshift({
      Id: "execution",
      Type: "EXECUTION",
      Status: "STARTED",
      StartTimestamp: new Date(0),
      ...(input !== undefined ? { ExecutionDetails: { InputPayload: input } } : {}),
    } as Operation);
  }
  return { operations, ended: status !== "RUNNING", status };
}

/** `ExecutionTimedOut` → `TIMED_OUT`. */
function statusOfEnd(eventType: string): string {
  return eventType
    .slice("Execution".length)
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toUpperCase();
}

/** A deep copy with every `...Timestamp` string member turned into a Date, as the engine reads them. */
function withDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDates);
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    copy[key] = key.endsWith("Timestamp") && typeof member === "string" ? new Date(member) : withDates(member);
  }
  return copy;
}
