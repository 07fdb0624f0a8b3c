// The panel for the operation clicked on the timeline: what it is, its input, result and error
// as pretty JSON, its attempts (steps) and its history events.
import type { ErrorJson, HistoryEventJson, OperationJson } from "../view-types.js";
import { describeDistributedMap } from "@cairn/sdk/progress";
import { partitionRowNote } from "./distributed-map-panel.js";
import { h } from "./dom.js";
import { displayName, formatDuration, formatTime, payloadValue, prettyJson, statusClass } from "./format.js";
import { rowStatus, type TimelineRow } from "./timeline-model.js";

interface EventDetails {
  Input?: { Payload?: string };
  Result?: { Payload?: string };
  Error?: { Payload?: ErrorJson };
  RetryDetails?: { CurrentAttempt?: number; NextAttemptDelaySeconds?: number };
}

function detailsOf(event: HistoryEventJson): EventDetails | undefined {
  return event[`${event.EventType}Details`] as EventDetails | undefined;
}

function resultOf(op: OperationJson): string | undefined {
  return op.StepDetails?.Result ?? op.CallbackDetails?.Result ?? op.ContextDetails?.Result ?? op.ChainedInvokeDetails?.Result;
}

function errorOf(op: OperationJson): ErrorJson | undefined {
  return op.StepDetails?.Error ?? op.CallbackDetails?.Error ?? op.ContextDetails?.Error ?? op.ChainedInvokeDetails?.Error;
}

/** The input recorded in the operation's events (an invoke's), if any: steps record none. */
function inputOf(events: readonly HistoryEventJson[]): string | undefined {
  for (const event of events) {
    const input = detailsOf(event)?.Input?.Payload;
    if (input !== undefined) return input;
  }
  return undefined;
}

function jsonBlock(testId: string, title: string, value: unknown): HTMLElement {
  return h(
    "div",
    { class: "details-block" },
    h("h4", {}, title),
    h("pre", { class: `json${value === undefined ? " empty" : ""}`, "data-testid": testId }, prettyJson(value)),
  );
}

/**
 * The details panel of one row, showing `events` as its history (undefined: still being read, for
 * a large execution whose view holds only some events); `onClose` hides it.
 */
export function detailsPanel(row: TimelineRow, events: HistoryEventJson[] | undefined, onClose: () => void): HTMLElement {
  const { op } = row;
  const known = events ?? row.events;
  const duration = row.bar.end - row.bar.start;
  const facts: [string, string][] = [
    ["id", op.Id],
    ["type", op.SubType ? `${op.Type} / ${op.SubType}` : op.Type],
    ["status", statusNote(row)],
    ["started", formatTime(op.StartTimestamp)],
    ["ended", op.EndTimestamp ? formatTime(op.EndTimestamp) : row.running ? "(running)" : "(never)"],
    ["duration", `${formatDuration(duration)}${row.running ? " so far" : ""}`],
  ];
  if (op.ParentId !== undefined) facts.push(["parent", op.ParentId]);
  if (op.WaitDetails?.ScheduledEndTimestamp) facts.push(["wait until", formatTime(op.WaitDetails.ScheduledEndTimestamp)]);
  if (op.CallbackDetails?.CallbackId) facts.push(["callback id", op.CallbackDetails.CallbackId]);
  if (op.StepDetails?.NextAttemptTimestamp) facts.push(["next attempt", formatTime(op.StepDetails.NextAttemptTimestamp)]);
  if (row.partition) facts.push(["partition", `${row.partition.partition}: ${partitionRowNote(row.partition)}${row.partition.reason ? ` (${row.partition.reason})` : ""}`]);
  if (row.distributedMap) facts.push(["distributed map", describeDistributedMap(row.distributedMap)]);
  if (row.children.length > 0) facts.push(["inside", `${row.children.length} operation${row.children.length === 1 ? "" : "s"}`]);

  return h(
    "aside",
    { class: "details", "data-testid": "details", "data-operation-id": op.Id },
    h(
      "div",
      { class: "details-head" },
      h("span", { class: `badge ${statusClass(rowStatus(row))}` }, rowStatus(row)),
      h("h3", {}, displayName(op)),
      h("button", { type: "button", class: "close", title: "close", onclick: onClose }, "×"),
    ),
    h("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h(
      "div",
      { class: "details-json" },
      jsonBlock("details-input", "input", payloadValue(inputOf(known))),
      jsonBlock("details-result", "result", payloadValue(resultOf(op))),
      jsonBlock("details-error", "error", errorOf(op)),
    ),
    h("h4", {}, "attempts"),
    attemptsList(row),
    h("h4", {}, events === undefined ? "history (reading…)" : `history (${events.length} event${events.length === 1 ? "" : "s"})`),
    historyTable(known),
  );
}

function attemptsList(row: TimelineRow): HTMLElement {
  if (row.op.Type !== "STEP") return h("p", { class: "muted", "data-testid": "details-attempts" }, "Only steps have attempts.");
  const failures = row.events.filter((event) => event.EventType === "StepFailed");
  return h(
    "ol",
    { class: "attempts", "data-testid": "details-attempts" },
    ...row.attempts.map((attempt) => {
      const failed = failures.find((event) => detailsOf(event)?.RetryDetails?.CurrentAttempt === attempt.number);
      const error = failed === undefined ? undefined : detailsOf(failed)?.Error?.Payload;
      const retry = failed === undefined ? undefined : detailsOf(failed)?.RetryDetails?.NextAttemptDelaySeconds;
      return h(
        "li",
        { "data-attempt": attempt.number, class: `outcome-${attempt.outcome.toLowerCase()}` },
        h("strong", {}, `attempt ${attempt.number}`),
        ` ${attempt.outcome.toLowerCase()} after ${formatDuration(attempt.end - attempt.start)}`,
        error ? h("span", { class: "error-text" }, ` — ${error.ErrorType ?? "Error"}${error.ErrorMessage ? `: ${error.ErrorMessage}` : ""}`) : null,
        retry !== undefined ? h("span", { class: "muted" }, ` · retry in ${retry}s`) : null,
      );
    }),
  );
}

function historyTable(events: readonly HistoryEventJson[]): HTMLElement {
  return h(
    "table",
    { class: "history", "data-testid": "details-history" },
    h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "time"), h("th", {}, "event"), h("th", {}, "details"))),
    h(
      "tbody",
      {},
      ...events.map((event) => {
        const details = detailsOf(event);
        return h(
          "tr",
          { "data-event-type": event.EventType },
          h("td", {}, String(event.EventId)),
          h("td", { class: "nowrap" }, formatTime(event.EventTimestamp)),
          h("td", { class: "nowrap" }, event.EventType),
          h("td", {}, details && Object.keys(details).length > 0 ? h("code", {}, JSON.stringify(details)) : ""),
        );
      }),
    ),
  );
}

/** The status line: the operation's status and what the timeline knows beyond it. */
function statusNote(row: TimelineRow): string {
  const { Status } = row.op;
  if (row.abandoned) return `${Status} — abandoned: the execution ended while it was running`;
  if (row.timedOut) return `${Status} — the item timed out (its batch's item timeout)`;
  if (row.synthetic) return "SKIPPED — the item never ran: the batch completed first (no operation was recorded)";
  return Status;
}
