// The execution's head item (sk "S#HEAD"): the small part of a record that every commit rewrites
// and conditions on (seq, slim summary, token, invocation, counts, due time), and the pending
// intent of a commit too big for one transaction. Leases live on it too but are the workers'.
import type { ExecutionSummary } from "@cairn/sdk/service";
import { encodeJson } from "./codec.js";
import { dueAtOf } from "./due-time.js";
import { LAYOUT_VERSION, headKey, type Item } from "./item-layout.js";
import type { CacheEntry } from "./record-cache.js";
import { A, dueShardOf, listShardOf } from "./table.js";

/** A committed mutation whose items are staged under `stagePrefix(seq, nonce)`, not yet in place. */
export interface Intent {
  seq: number;
  nonce: string;
}

export interface Head {
  seq: number;
  intent: Intent | undefined;
  item: Item;
}

/** What the due time and index keys written with a head depend on besides the record. */
export interface DueTimeSettings {
  /** How long a running invocation keeps its execution out of the due index (ms). */
  leaseMs: number;
  /** Partitions of the due index. */
  dueShards: number;
  /** Partitions of the list index. */
  listShards: number;
}

/**
 * The seq of an execution only its create has written. No item of such an execution has an older
 * version, so one Query that finds its head at this seq (and no newer item) read it whole.
 */
export const FRESH_SEQ = 1;

/** Head attributes that a record may lack: a commit removes those it does not set. */
export const OPTIONAL_HEAD_ATTRIBUTES = [
  A.token,
  A.invocation,
  A.wakePending,
  A.hasOutcome,
  A.hasResult,
  A.dueAt,
  A.dueShard,
  A.functionName,
  A.fresh,
];

/** Summary fields kept out of the head item: large and (nearly) never changing. */
type SlimSummary = Omit<ExecutionSummary, "input" | "result" | "error">;

function slim(summary: ExecutionSummary): SlimSummary {
  const { input: _input, result: _result, error: _error, ...rest } = summary;
  return rest;
}

export function headOf(item: Item | undefined): Head | undefined {
  if (!item) return undefined;
  const intent = item[A.intent]?.M;
  return {
    seq: Number(item[A.seq]?.N ?? "0"),
    intent: intent ? { seq: Number(intent.seq?.N ?? "0"), nonce: intent.nonce?.S ?? "" } : undefined,
    item,
  };
}

/** The due time a head holds, if any. */
export function dueAtOfHead(head: Head): number | undefined {
  const due = head.item[A.dueAt]?.N;
  return due === undefined ? undefined : Number(due);
}

/** The worker holding the head's lease, if any (expired or not). */
export function leaseOwnerOfHead(head: Head): string | undefined {
  return head.item[A.leaseOwner]?.S;
}

/**
 * Every head attribute the cached record has (keys and leases excluded), and the optional ones to
 * leave as they are. While an invocation runs its execution is due `leaseMs` after the last
 * write, so that a takeover happens if its process dies; moving that time on every checkpoint
 * would rewrite the due index each time, so it moves only once a third of the lease has passed
 * (a takeover then comes at most a third of a lease later).
 */
export function headAttributes(entry: CacheEntry, due: DueTimeSettings, now: number): { attrs: Item; keep: string[] } {
  const { record } = entry;
  const attrs: Item = {
    [A.seq]: { N: String(record.seq) },
    [A.summary]: { S: encodeJson(slim(record.summary)) },
    [A.opCount]: { N: String(record.operationOrder.length) },
    [A.eventCount]: { N: String(record.eventCount) },
    [A.executionArn]: { S: record.summary.executionArn },
    [A.listPk]: { S: listShardOf(record.executionId, due.listShards) },
    [A.executionId]: { S: record.executionId },
    [A.layout]: { N: String(LAYOUT_VERSION) },
  };
  if (record.summary.functionName !== undefined) attrs[A.functionName] = { S: record.summary.functionName };
  // Only the create has written the execution (see FRESH_SEQ): projected into the due index so a
  // worker knows it may read the record with one Query and take the lease with the begin.
  if (record.seq === FRESH_SEQ) attrs[A.fresh] = { BOOL: true };
  if (record.checkpointToken !== undefined) attrs[A.token] = { S: record.checkpointToken };
  if (record.invocation !== undefined) attrs[A.invocation] = { S: encodeJson(record.invocation) };
  if (record.wakePending) attrs[A.wakePending] = { BOOL: true };
  if (record.outcome !== undefined) attrs[A.hasOutcome] = { BOOL: true };
  if (entry.resultJson !== undefined) attrs[A.hasResult] = { BOOL: true };
  const keep: string[] = [];
  const dueAt = dueAtOf(record, now, due.leaseMs);
  const running = record.summary.status === "RUNNING" && record.invocation !== undefined;
  if (running && entry.dueAt !== undefined && entry.dueAt - now >= (due.leaseMs * 2) / 3) {
    keep.push(A.dueAt, A.dueShard);
  } else if (dueAt !== undefined) {
    attrs[A.dueAt] = { N: String(dueAt) };
    attrs[A.dueShard] = { S: dueShardOf(record.executionId, due.dueShards) };
  }
  return { attrs, keep };
}

/** The whole head item of a new execution. */
export function headItem(entry: CacheEntry, due: DueTimeSettings, now: number): Item {
  return { ...headKey(entry.record.executionId), ...headAttributes(entry, due, now).attrs };
}
