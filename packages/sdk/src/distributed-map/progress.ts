// A distributed map's progress read from the parent execution's operations: how many children
// started, run and finished, and the item counts so far. It is its own package entry
// (`@cairn/sdk/progress`) with no runtime imports, so the web view bundles it alone.
//
// What ctx.distributedMap records: a CONTEXT `distributed-map-<name>` holding a STEP `plan`
// ({ partitions, totalItems? }) and one CONTEXT `partition-<n>` per partition, each holding a STEP
// `admit` ({ start } or { start: false, reason }), a CHAINED_INVOKE (the child; its result holds the
// child's counts) and a STEP `progress` ({ finishedChildren, counts }: the totals so far). Payloads
// are read tolerantly: unknown fields are ignored, missing optional ones are fine.
import type { DistributedMapCounts } from "../types/distributed-map.js";

/**
 * The fields of an operation read here: an `Operation` as a store, `CairnClient.getOperations` or
 * the Lambda durable-execution API returns it, or its JSON.
 */
export interface ProgressOperation {
  /** The operation's id. */
  Id: string;
  /** Its parent's id. */
  ParentId?: string | undefined;
  /** Its name. */
  Name?: string | undefined;
  /** STEP, CONTEXT, CHAINED_INVOKE, ... */
  Type: string;
  /** STARTED, SUCCEEDED, FAILED, ... */
  Status: string;
  /** A step's result. */
  StepDetails?: ProgressOperationDetails | undefined;
  /** A context's result or error. */
  ContextDetails?: ProgressOperationDetails | undefined;
  /** A chained invoke's result or error. */
  ChainedInvokeDetails?: ProgressOperationDetails | undefined;
}

/** The details of an operation read here: its result payload or its error's message. */
export interface ProgressOperationDetails {
  /** The result, as stored (serialized). */
  Result?: string | undefined;
  /** The error, when it failed. */
  Error?: {
    /** Its message. */
    ErrorMessage?: string | undefined;
  } | undefined;
}

/** Decodes a stored payload into its value (the default reads JSON and Cairn's default serdes envelope). */
export type PayloadDecoder = (payload: string | undefined) => unknown;

/** The names of {@link DistributedMapCounts}, in display order. */
export const DISTRIBUTED_MAP_COUNT_NAMES = ["succeeded", "failed", "timedOut", "skipped", "pending", "total"] as const;

/**
 * Where one partition is. QUEUED: not started yet, and may still start (the map is running);
 * NOT_STARTED: it never will (completion was reached first, or the map ended); RUNNING: admitted,
 * its child not finished; then the child's end: SUCCEEDED, STOPPED_EARLY (stopped reading once
 * completion was reached) or FAILED (the child execution failed, or could not read its source).
 */
export type DistributedMapPartitionStatus = "QUEUED" | "NOT_STARTED" | "RUNNING" | "SUCCEEDED" | "STOPPED_EARLY" | "FAILED";

/** One partition of a distributed map. */
export interface DistributedMapPartitionProgress {
  /** The partition, 0-based. */
  partition: number;
  /** The partition's CONTEXT operation, once it has one. */
  operationId?: string | undefined;
  /** Where it is. */
  status: DistributedMapPartitionStatus;
  /** Its child's item counts, once the child finished. */
  counts?: DistributedMapCounts | undefined;
  /** Why the child failed, or why it was not started. */
  reason?: string | undefined;
}

/** How many children are where. */
export interface DistributedMapChildCounts {
  /** Admitted: running or finished. */
  started: number;
  /** Admitted, not finished. */
  running: number;
  /** Ended, whichever way (failed ones included). */
  finished: number;
  /** Ended FAILED. */
  failed: number;
  /** Will never start (completion reached first). */
  notStarted: number;
  /** Not started yet, may still start. */
  queued: number;
}

/** One distributed map's progress. */
export interface DistributedMapProgress {
  /** The map's CONTEXT operation. */
  operationId: string;
  /** The definition's name. */
  name: string;
  /** The map context's status (STARTED while it runs). */
  status: string;
  /** Partitions in the plan. */
  planned: number;
  /** How many items the source has, when the plan knows (an array source). */
  totalItems?: number | undefined;
  /** Where its children are. */
  children: DistributedMapChildCounts;
  /** Item counts so far (final once the map has ended). */
  counts: DistributedMapCounts;
  /** Items processed so far: `counts.total` less the pending ones. */
  processed: number;
  /** Why it completed, once it has (and when that is known). */
  completionReason?: string | undefined;
  /** Why the map itself failed, when it did. */
  errorMessage?: string | undefined;
  /** One entry per planned partition, in partition order. */
  partitions: DistributedMapPartitionProgress[];
}

const MAP_PREFIX = "distributed-map-";
const PARTITION_NAME = /^partition-(\d+)$/;
const ENDED = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED", "CANCELLED"]);

/**
 * The progress of every distributed map in an execution's operations, in operation order — while
 * it runs (children started, running, finished; item counts of the finished children) or after.
 * A map appears once its `plan` step is stored. Linear in the number of operations.
 *
 * @param operations The parent execution's operations, e.g. `await client.getOperations(executionArn)`.
 * @param decode Turns a stored payload into its value; pass your serdes' when the map's steps use a custom one.
 * @example
 * ```ts
 * import { distributedMapProgress } from "@cairn/sdk/progress";
 * for (const map of distributedMapProgress(await client.getOperations(arn))) {
 *   console.log(map.name, describeDistributedMap(map)); // "3/8 children finished (2 running) · items: 2990 succeeded, 10 failed"
 * }
 * ```
 */
export function distributedMapProgress(operations: readonly ProgressOperation[], decode: PayloadDecoder = decodePayload): DistributedMapProgress[] {
  const childrenOf = new Map<string, ProgressOperation[]>();
  for (const op of operations) {
    if (op.ParentId === undefined) continue;
    const list = childrenOf.get(op.ParentId);
    if (list) list.push(op);
    else childrenOf.set(op.ParentId, [op]);
  }
  const maps: DistributedMapProgress[] = [];
  for (const op of operations) {
    if (op.Type !== "CONTEXT" || !op.Name?.startsWith(MAP_PREFIX)) continue;
    const children = childrenOf.get(op.Id) ?? [];
    const planOp = children.find((child) => child.Type === "STEP" && child.Name === "plan");
    const plan = asObject(decode(planOp?.StepDetails?.Result));
    if (plan === undefined || !Array.isArray(plan.partitions)) continue;
    maps.push(readMap(op, plan.partitions as unknown[], numberOr(plan.totalItems), children, childrenOf, decode));
  }
  return maps;
}

function readMap(
  op: ProgressOperation,
  planned: unknown[],
  totalItems: number | undefined,
  children: readonly ProgressOperation[],
  childrenOf: ReadonlyMap<string, ProgressOperation[]>,
  decode: PayloadDecoder,
): DistributedMapProgress {
  const ended = ENDED.has(op.Status);
  const partitions: DistributedMapPartitionProgress[] = planned.map((_, partition) => ({ partition, status: ended ? "NOT_STARTED" : "QUEUED" }));
  let latestProgress: { finishedChildren: number; counts: DistributedMapCounts } | undefined;
  let countsReadable = true;
  for (const child of children) {
    const match = child.Type === "CONTEXT" ? PARTITION_NAME.exec(child.Name ?? "") : null;
    const entry = match ? partitions[Number(match[1])] : undefined;
    if (entry === undefined) continue;
    entry.operationId = child.Id;
    const inside = childrenOf.get(child.Id) ?? [];
    const admit = asObject(decode(inside.find((o) => o.Type === "STEP" && o.Name === "admit")?.StepDetails?.Result));
    const invoke = inside.find((o) => o.Type === "CHAINED_INVOKE");
    const progress = asObject(decode(inside.find((o) => o.Type === "STEP" && o.Name === "progress")?.StepDetails?.Result));
    const progressCounts = readCounts(progress?.counts);
    const finishedChildren = numberOr(progress?.finishedChildren);
    if (progressCounts && finishedChildren !== undefined && finishedChildren >= (latestProgress?.finishedChildren ?? 0)) {
      latestProgress = { finishedChildren, counts: progressCounts };
    }
    if (admit?.start === false) {
      entry.status = "NOT_STARTED";
      entry.reason = typeof admit.reason === "string" ? admit.reason : undefined;
    } else if (invoke === undefined) {
      // Admitted, its child about to be invoked; or not yet admitted (then queued as before).
      if (admit?.start === true) entry.status = ended ? "NOT_STARTED" : "RUNNING";
    } else if (invoke.Status === "SUCCEEDED") {
      const result = asObject(decode(invoke.ChainedInvokeDetails?.Result));
      entry.counts = readCounts(result?.counts);
      if (entry.counts === undefined) countsReadable = false;
      // A child that could not read its source ends with its counts but counts as failed.
      if (typeof result?.readError === "string") {
        entry.status = "FAILED";
        entry.reason = `reading a page failed: ${result.readError}`;
      } else entry.status = result?.stoppedEarly === true ? "STOPPED_EARLY" : "SUCCEEDED";
    } else if (ENDED.has(invoke.Status)) {
      entry.status = "FAILED";
      entry.reason = invoke.ChainedInvokeDetails?.Error?.ErrorMessage ?? invoke.Status;
    } else {
      // Its child was started and has not ended (even if the map has: it may still be running).
      entry.status = "RUNNING";
    }
  }

  const result = op.Status === "SUCCEEDED" ? asObject(decode(op.ContextDetails?.Result)) : undefined;
  applyResultChildren(partitions, result?.children);
  const finalCounts = readCounts(result?.counts);
  // The finished children's own counts are exact; the progress steps may lag one behind when two
  // children finish together. Use them only when a child's result cannot be read.
  const counts = finalCounts ?? (countsReadable ? sumPartitions(planned, partitions) : (latestProgress?.counts ?? sumPartitions(planned, partitions)));
  const completionReason =
    typeof result?.completionReason === "string" ? result.completionReason : partitions.find((p) => p.status === "NOT_STARTED" && p.reason !== undefined)?.reason;
  return {
    operationId: op.Id,
    name: (op.Name ?? "").slice(MAP_PREFIX.length),
    status: op.Status,
    planned: planned.length,
    totalItems,
    children: childCounts(partitions),
    counts,
    processed: counts.total - counts.pending,
    completionReason: ended ? completionReason : undefined,
    errorMessage: op.Status === "SUCCEEDED" ? undefined : op.ContextDetails?.Error?.ErrorMessage,
    partitions,
  };
}

/** The map's own result, when it has one, says how each child ended: it overrides what was read. */
function applyResultChildren(partitions: DistributedMapPartitionProgress[], children: unknown): void {
  if (!Array.isArray(children)) return;
  for (const raw of children) {
    const child = asObject(raw);
    const entry = child && typeof child.partition === "number" ? partitions[child.partition] : undefined;
    if (entry === undefined || !child) continue;
    if (child.status === "SUCCEEDED" || child.status === "STOPPED_EARLY" || child.status === "FAILED" || child.status === "NOT_STARTED") entry.status = child.status;
    entry.counts = readCounts(child.counts) ?? entry.counts;
    if (typeof child.errorMessage === "string") entry.reason = child.errorMessage;
  }
}

/**
 * The counts of the finished partitions, as the map sums them when it completes: a child's own
 * counts, plus as pending the items of a known range that no child read (a failed or not-started
 * child's range, the unread rest of a range child that stopped early).
 */
function sumPartitions(planned: readonly unknown[], partitions: readonly DistributedMapPartitionProgress[]): DistributedMapCounts {
  const counts = zeroCounts();
  for (const entry of partitions) {
    const range = asObject(planned[entry.partition])?.range;
    const size = Array.isArray(range) && typeof range[0] === "number" && typeof range[1] === "number" ? range[1] - range[0] : 0;
    let unread = 0;
    if (entry.status === "FAILED" || entry.status === "NOT_STARTED") unread = size;
    if (entry.counts) {
      addCounts(counts, entry.counts);
      // A range child that ended before its end (stopped, or failed reading) left the rest unread.
      if ((entry.status === "STOPPED_EARLY" || entry.status === "FAILED") && size > 0) unread = Math.max(0, size - entry.counts.total);
    }
    counts.pending += unread;
    counts.total += unread;
  }
  return counts;
}

function childCounts(partitions: readonly DistributedMapPartitionProgress[]): DistributedMapChildCounts {
  const children: DistributedMapChildCounts = { started: 0, running: 0, finished: 0, failed: 0, notStarted: 0, queued: 0 };
  for (const { status } of partitions) {
    if (status === "QUEUED") children.queued++;
    else if (status === "NOT_STARTED") children.notStarted++;
    else {
      children.started++;
      if (status === "RUNNING") children.running++;
      else children.finished++;
      if (status === "FAILED") children.failed++;
    }
  }
  return children;
}

/** One line for a map's progress, as `cairn inspect` prints it: children, item counts, completion. */
export function describeDistributedMap(map: DistributedMapProgress): string {
  const { children, counts } = map;
  const parts = [`${children.finished}/${map.planned} children finished`];
  const extra: string[] = [];
  if (children.running > 0) extra.push(`${children.running} running`);
  if (children.failed > 0) extra.push(`${children.failed} failed`);
  if (children.notStarted > 0) extra.push(`${children.notStarted} not started`);
  if (extra.length > 0) parts[0] += ` (${extra.join(", ")})`;
  const items = [`${counts.succeeded} succeeded`, `${counts.failed} failed`];
  if (counts.timedOut > 0) items.push(`${counts.timedOut} timed out`);
  if (counts.skipped > 0) items.push(`${counts.skipped} skipped`);
  if (counts.pending > 0) items.push(`${counts.pending} pending`);
  parts.push(`items: ${items.join(", ")}${map.totalItems === undefined ? "" : ` (${map.processed} of ${map.totalItems} processed)`}`);
  if (map.completionReason !== undefined) parts.push(map.completionReason);
  return parts.join(" · ");
}

/** Counts with everything at zero. */
export function zeroCounts(): DistributedMapCounts {
  return { succeeded: 0, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 0 };
}

/** Adds `more` into `into` (in place). */
export function addCounts(into: DistributedMapCounts, more: DistributedMapCounts): DistributedMapCounts {
  for (const name of DISTRIBUTED_MAP_COUNT_NAMES) into[name] += more[name];
  return into;
}

/** Counts from a payload: every known field a number (a missing one 0), or undefined when none is. */
function readCounts(value: unknown): DistributedMapCounts | undefined {
  const object = asObject(value);
  if (object === undefined) return undefined;
  const counts = zeroCounts();
  let any = false;
  for (const name of DISTRIBUTED_MAP_COUNT_NAMES) {
    const n = numberOr(object[name]);
    if (n !== undefined) {
      counts[name] = n;
      any = true;
    }
  }
  return any ? counts : undefined;
}

/** JSON, with Cairn's default serdes envelope (`{ "__superjson": { json, meta } }`) unwrapped to its JSON part. */
function decodePayload(payload: string | undefined): unknown {
  if (payload === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(payload);
    const envelope = asObject(parsed)?.__superjson;
    return envelope === undefined ? parsed : asObject(envelope)?.json;
  } catch {
    return payload;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
