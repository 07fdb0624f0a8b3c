// The execution's head item (sk "S#HEAD"): the small part of a record that every commit rewrites
// and conditions on (seq, slim summary, token, invocation, counts, due time), and the pending
// intent of a commit too big for one transaction. Leases live on it too but are the workers'.
import type { ExecutionSummary } from "@cairn/sdk/service";
import { encodeJson } from "./codec.js";
import { dueAtOf } from "./due-time.js";
import { headKey, type Item } from "./item-layout.js";
import type { CacheEntry } from "./record-cache.js";
import { A, LIST_PARTITION, dueShardOf } from "./table.js";

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

/** What the due time written with a head depends on besides the record. */
export interface DueTimeSettings {
  /** How long a running invocation keeps its execution out of the due index (ms). */
  leaseMs: number;
  /** Partitions of the due index. */
  shards: number;
}

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

/** Every head attribute the cached record has (keys and leases excluded). */
export function headAttributes(entry: CacheEntry, due: DueTimeSettings): Item {
  const { record } = entry;
  const attrs: Item = {
    [A.seq]: { N: String(record.seq) },
    [A.summary]: { S: encodeJson(slim(record.summary)) },
    [A.opCount]: { N: String(record.operationOrder.length) },
    [A.eventCount]: { N: String(record.history.length) },
    [A.executionArn]: { S: record.summary.executionArn },
    [A.listPk]: { S: LIST_PARTITION },
    [A.executionId]: { S: record.executionId },
  };
  if (record.summary.functionName !== undefined) attrs[A.functionName] = { S: record.summary.functionName };
  if (record.checkpointToken !== undefined) attrs[A.token] = { S: record.checkpointToken };
  if (record.invocation !== undefined) attrs[A.invocation] = { S: encodeJson(record.invocation) };
  if (record.wakePending) attrs[A.wakePending] = { BOOL: true };
  if (record.outcome !== undefined) attrs[A.hasOutcome] = { BOOL: true };
  if (entry.resultJson !== undefined) attrs[A.hasResult] = { BOOL: true };
  const dueAt = dueAtOf(record, Date.now(), due.leaseMs);
  if (dueAt !== undefined) {
    attrs[A.dueAt] = { N: String(dueAt) };
    attrs[A.dueShard] = { S: dueShardOf(record.executionId, due.shards) };
  }
  return attrs;
}

/** The whole head item of a new execution. */
export function headItem(entry: CacheEntry, due: DueTimeSettings): Item {
  return { ...headKey(entry.record.executionId), ...headAttributes(entry, due) };
}
