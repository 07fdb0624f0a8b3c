// Turns an execution's operations and history into timeline rows: when each operation ran, its
// step attempts and the retry delays between them, and whether it was waiting rather than working.
// Pure data: the rendering (and the virtualisation) is in timeline-view.ts.
import { distributedMapProgress, type DistributedMapProgress, type DistributedMapPartitionProgress } from "@cairn/sdk/progress";
import type { ExecutionView, HistoryEventJson, OperationJson } from "../view-types.js";
import { compareOperationIds, payloadValue } from "./format.js";

/** A span of time in epoch milliseconds. */
export interface Span {
  /** Start. */
  start: number;
  /** End. */
  end: number;
}

/** One attempt of a step. */
export interface Attempt extends Span {
  /** 1-based attempt number. */
  number: number;
  /** How it ended: SUCCEEDED, FAILED, or RUNNING / ABANDONED when it did not. */
  outcome: "SUCCEEDED" | "FAILED" | "RUNNING" | "ABANDONED";
}

/** One operation on the timeline. */
export interface TimelineRow {
  /** The operation as stored. */
  op: OperationJson;
  /** Nesting: 0 for the handler's own operations. */
  depth: number;
  /** The operations started inside it, in call order. */
  children: TimelineRow[];
  /** Its bar: StartTimestamp to EndTimestamp, or to now (to the execution's end when abandoned). */
  bar: Span;
  /** Still running in a running execution. */
  running: boolean;
  /**
   * STARTED inside something that has ended — the execution, or an enclosing batch item or child
   * context — so it will never finish (e.g. a map item's wait after the map completed without it).
   */
  abandoned: boolean;
  /** A wait, a callback or an invoke: the handler was suspended, not working. */
  waiting: boolean;
  /** A step's attempts (at least one), in order; empty for other types. */
  attempts: Attempt[];
  /** The delays between a failed attempt and the next one. */
  retryDelays: Span[];
  /** The operation's history events, in order. */
  events: HistoryEventJson[];
  /**
   * A batch item that timed out: its operation is stored FAILED (with the timeout error), and only
   * the batch's summary says it was the item timeout.
   */
  timedOut: boolean;
  /**
   * A batch item that never ran (skipped, or not started when the batch completed): it has no
   * operation of its own, so the row is made from the batch's summary, with status SKIPPED.
   */
  synthetic: boolean;
  /** A distributed map's context: its progress. */
  distributedMap?: DistributedMapProgress | undefined;
  /** A distributed map's partition context: how its child is doing. */
  partition?: DistributedMapPartitionProgress | undefined;
}

/**
 * The status a row is drawn with: a timed-out batch item as TIMED_OUT; a distributed map's
 * partition whose child failed as FAILED and one never started as SKIPPED (its context itself
 * succeeds either way); otherwise the operation's.
 */
export function rowStatus(row: TimelineRow): string {
  if (row.timedOut) return "TIMED_OUT";
  if (row.partition?.status === "FAILED") return "FAILED";
  if (row.partition?.status === "NOT_STARTED") return "SKIPPED";
  return row.op.Status;
}

/** The timeline of one execution. */
export interface TimelineModel {
  /** The root rows (the EXECUTION operation is not a row). */
  roots: TimelineRow[];
  /** Every row, by operation id. */
  byId: Map<string, TimelineRow>;
  /** Number of operations (rows made from a batch summary for items that never ran excluded). */
  count: number;
  /** The time axis: the execution's start to its end (or now). */
  range: Span;
  /** When the handler was running: one span per completed invocation. */
  invocations: Span[];
  /** The execution's distributed maps, in operation order. */
  distributedMaps: DistributedMapProgress[];
}

const WAITING_TYPES = new Set(["WAIT", "CALLBACK", "CHAINED_INVOKE"]);
const ms = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

/** Builds the timeline of `view`. Runs once per load or refresh: linear in operations and events. */
export function buildTimeline(view: ExecutionView): TimelineModel {
  const now = ms(view.now) ?? Date.now();
  const ended = view.status !== "RUNNING";
  const executionEnd = ms(view.endTimestamp) ?? now;
  const range: Span = { start: ms(view.startTimestamp) ?? now, end: Math.max(executionEnd, ms(view.startTimestamp) ?? now) };

  const eventsById = new Map<string, HistoryEventJson[]>();
  for (const event of view.history) {
    if (event.Id === undefined) continue;
    const list = eventsById.get(event.Id);
    if (list) list.push(event);
    else eventsById.set(event.Id, [event]);
  }

  const byId = new Map<string, TimelineRow>();
  for (const op of view.operations) {
    if (op.Type === "EXECUTION" || op.Id === "0") continue;
    const start = ms(op.StartTimestamp) ?? range.start;
    const finished = ms(op.EndTimestamp);
    const abandoned = ended && op.Status === "STARTED";
    const running = !ended && finished === undefined;
    const end = finished ?? (ended ? executionEnd : now);
    const events = eventsById.get(op.Id) ?? [];
    const row: TimelineRow = {
      op,
      depth: 0,
      children: [],
      bar: { start, end: Math.max(start, end) },
      running,
      abandoned,
      waiting: WAITING_TYPES.has(op.Type),
      attempts: [],
      retryDelays: [],
      events,
      timedOut: false,
      synthetic: false,
    };
    range.end = Math.max(range.end, row.bar.end);
    byId.set(op.Id, row);
  }
  applyBatchSummaries(byId);
  const maps = distributedMapProgress(view.operations, payloadValue);
  for (const map of maps) {
    const mapRow = byId.get(map.operationId);
    if (mapRow) mapRow.distributedMap = map;
    for (const partition of map.partitions) {
      const row = partition.operationId === undefined ? undefined : byId.get(partition.operationId);
      if (row) row.partition = partition;
    }
  }

  const roots: TimelineRow[] = [];
  for (const row of byId.values()) {
    const parent = row.op.ParentId === undefined ? undefined : byId.get(row.op.ParentId);
    if (parent && parent !== row) parent.children.push(row);
    else roots.push(row);
  }
  // Sort keys computed once per row: splitting ids inside the comparator costs more than the
  // rest of the build on a 10 000-operation execution.
  const keys = new Map<TimelineRow, number[]>();
  const keyOf = (row: TimelineRow): number[] => {
    let key = keys.get(row);
    if (key === undefined) {
      key = row.op.Id.split("-").map(Number);
      keys.set(row, key);
    }
    return key;
  };
  const order = (rows: TimelineRow[], depth: number): void => {
    rows.sort((a, b) => compareKeys(keyOf(a), keyOf(b)) || compareOperationIds(a.op.Id, b.op.Id));
    for (const row of rows) {
      row.depth = depth;
      order(row.children, depth + 1);
    }
  };
  order(roots, 0);
  markAbandoned(roots, undefined);
  for (const row of byId.values()) if (row.op.Type === "STEP") stepAttempts(row, !row.running, row.bar.end);

  const invocations = view.invocations.map((inv) => ({ start: ms(inv.start) ?? range.start, end: ms(inv.end) ?? range.end }));
  let count = 0;
  for (const row of byId.values()) if (!row.synthetic) count++;
  return { roots, byId, count, range, invocations, distributedMaps: maps };
}

const ITEM_SUBTYPE: Record<string, string> = { Map: "MapIteration", Parallel: "ParallelBranch" };

/**
 * What a map's or parallel's checkpointed summary adds to its items' own operations: one character
 * per item (S succeeded, F failed, T timed out, K skipped, R started, - never started). An item
 * `i` is the child context `<batch id>-<i + 1>`. Timed-out items are marked; items that never ran
 * get a SKIPPED row of their own, so every item of the batch shows.
 */
function applyBatchSummaries(byId: Map<string, TimelineRow>): void {
  for (const batch of [...byId.values()]) {
    const itemSubType = ITEM_SUBTYPE[batch.op.SubType ?? ""];
    const items = batch.op.Type === "CONTEXT" && itemSubType ? summaryItems(batch.op.ContextDetails?.Result) : undefined;
    if (items === undefined || itemSubType === undefined) continue;
    for (let index = 0; index < items.length; index++) {
      const code = items[index];
      const id = `${batch.op.Id}-${index + 1}`;
      const existing = byId.get(id);
      if (existing) {
        if (code === "T") existing.timedOut = true;
        continue;
      }
      if (code !== "K" && code !== "-") continue;
      const at = batch.op.EndTimestamp ?? batch.op.StartTimestamp;
      const end = batch.bar.end;
      byId.set(id, {
        op: {
          Id: id,
          ParentId: batch.op.Id,
          Type: "CONTEXT",
          SubType: itemSubType,
          Name: `item ${index} (${code === "K" ? "skipped" : "not started"})`,
          Status: "SKIPPED",
          StartTimestamp: at,
          EndTimestamp: at,
        },
        depth: 0,
        children: [],
        bar: { start: end, end },
        running: false,
        abandoned: false,
        waiting: false,
        attempts: [],
        retryDelays: [],
        events: [],
        timedOut: false,
        synthetic: true,
      });
    }
  }
}

/** The per-item codes of a batch summary payload, or undefined when it is not one. */
function summaryItems(result: string | undefined): string | undefined {
  if (result === undefined || !result.startsWith('{"type":"BatchSummary"')) return undefined;
  try {
    const parsed = JSON.parse(result) as { type?: unknown; items?: unknown };
    return parsed.type === "BatchSummary" && typeof parsed.items === "string" ? parsed.items : undefined;
  } catch {
    return undefined;
  }
}

/** Compares numeric id segments; 0 when they tie or a segment is not a number (then the ids decide). */
function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) return 0;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

const ENDED = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED", "CANCELLED", "SKIPPED"]);

/** A STARTED operation under an ended ancestor is abandoned too; its bar stops where the ancestor ended. */
function markAbandoned(rows: readonly TimelineRow[], endedAt: number | undefined): void {
  for (const row of rows) {
    if (row.op.Status === "STARTED" && endedAt !== undefined && !row.abandoned) {
      row.abandoned = true;
      row.running = false;
      row.bar.end = Math.max(row.bar.start, Math.min(row.bar.end, endedAt));
    }
    const ownEnd = ENDED.has(row.op.Status) ? (Date.parse(row.op.EndTimestamp ?? "") || row.bar.end) : undefined;
    // The earliest end among the ancestors: the nearest ended one usually ended first.
    markAbandoned(row.children, ownEnd === undefined ? endedAt : Math.min(ownEnd, endedAt ?? ownEnd));
  }
}

interface StepEventDetails {
  RetryDetails?: { CurrentAttempt?: number; NextAttemptDelaySeconds?: number };
}

/**
 * A step's attempts from its events: each StepStarted opens one, its StepFailed or StepSucceeded
 * closes it; a StepFailed that schedules a retry opens a delay that the next StepStarted closes.
 * An attempt left open ends at the bar's end: running, or abandoned when the execution ended.
 */
function stepAttempts(row: TimelineRow, ended: boolean, barEnd: number): void {
  let open: Attempt | undefined;
  let delay: Span | undefined;
  let number = 0;
  const close = (at: number, outcome: Attempt["outcome"]): void => {
    if (!open) return;
    open.end = Math.max(open.start, at);
    open.outcome = outcome;
    row.attempts.push(open);
    open = undefined;
  };
  for (const event of row.events) {
    const at = Date.parse(event.EventTimestamp);
    const details = event[`${event.EventType}Details`] as StepEventDetails | undefined;
    if (event.EventType === "StepStarted") {
      if (delay) {
        delay.end = Math.max(delay.start, at);
        row.retryDelays.push(delay);
        delay = undefined;
      }
      // A re-start without an outcome (the invocation crashed mid-attempt) repeats the attempt.
      if (open) close(at, "ABANDONED");
      else number++;
      open = { start: at, end: at, number, outcome: "RUNNING" };
    } else if (event.EventType === "StepSucceeded" || event.EventType === "StepFailed") {
      const current = details?.RetryDetails?.CurrentAttempt;
      if (!open) open = { start: at, end: at, number: current ?? number + 1, outcome: "RUNNING" };
      if (current !== undefined) open.number = current;
      number = open.number;
      close(at, event.EventType === "StepSucceeded" ? "SUCCEEDED" : "FAILED");
      const next = details?.RetryDetails?.NextAttemptDelaySeconds;
      if (event.EventType === "StepFailed" && next !== undefined) delay = { start: at, end: at + next * 1000 };
    }
  }
  if (open) close(barEnd, ended ? "ABANDONED" : "RUNNING");
  if (delay) {
    // A retry not yet started: the delay runs to its due time, within the bar.
    delay.end = Math.min(Math.max(delay.start, delay.end), barEnd);
    row.retryDelays.push(delay);
  }
  if (row.attempts.length === 0) {
    const outcome = row.op.Status === "SUCCEEDED" ? "SUCCEEDED" : row.op.Status === "FAILED" ? "FAILED" : ended ? "ABANDONED" : "RUNNING";
    row.attempts.push({ start: row.bar.start, end: row.bar.end, number: Math.max(1, row.op.StepDetails?.Attempt ?? 1), outcome });
  }
}

/** Rows in display order (parents before children), skipping the children of collapsed rows. */
export function visibleRows(model: TimelineModel, collapsed: ReadonlySet<string>): TimelineRow[] {
  const out: TimelineRow[] = [];
  const stack = [...model.roots].reverse();
  while (stack.length > 0) {
    const row = stack.pop() as TimelineRow;
    out.push(row);
    if (!collapsed.has(row.op.Id)) for (let i = row.children.length - 1; i >= 0; i--) stack.push(row.children[i] as TimelineRow);
  }
  return out;
}

/** Batches (map, parallel, child contexts) with more children than this start collapsed. */
export const COLLAPSE_CHILDREN_OVER = 50;

/** The rows collapsed when an execution is first shown: every batch with many children. */
export function defaultCollapsed(model: TimelineModel): Set<string> {
  const collapsed = new Set<string>();
  for (const row of model.byId.values()) if (row.children.length > COLLAPSE_CHILDREN_OVER) collapsed.add(row.op.Id);
  return collapsed;
}
