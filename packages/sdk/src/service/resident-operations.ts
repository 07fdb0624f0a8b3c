// Settled operations a store lets go of from memory. A long execution (a map over 100 000 items)
// keeps hundreds of thousands of operations its service never reads again: once a step or wait
// has settled, a correct handler never names it in a checkpoint. A store that can read its
// record back whole (the file store, from its log) may drop them from `record.operations`; the
// core then looks operations up through operationOf, which recognises a dropped id and asks for
// the whole record (OperationsNotInMemory) instead of mistaking it for a new one — so a stray
// update naming a settled operation is refused exactly as before, only more slowly.
import type { Operation } from "../protocol/wire.js";
import { EXECUTION_OPERATION_ID, type ExecutionRecord } from "./execution-record.js";

/**
 * Thrown by the core when a decision needs operations the record has let go of. Not an error a
 * caller sees: the store catches it, loads the record whole and decides again.
 */
export class OperationsNotInMemory extends Error {
  /** `"OperationsNotInMemory"`. */
  override readonly name = "OperationsNotInMemory";
  /** A signal with the reason it was raised. */
  constructor(reason: string) {
    super(`The record holds only some operations in memory (${reason}): the store must load it whole.`);
  }
}

/** Ids kept unsorted before they are merged into the sorted run (bounds the Set's size). */
const RECENT_IDS = 32 * 1024;

/**
 * A set of ids by 53-bit hash (two 32-bit FNV-1a variants; 2^53 keeps them exact in a double): a
 * Set of recent ones, merged now and then into one sorted Float64Array searched by bisection — 8
 * bytes an id once merged.
 */
export class EvictedOperationIds {
  #recent = new Set<number>();
  #sorted = new Float64Array(0);

  /** How many ids were added (an id added twice counts once). */
  get size(): number {
    return this.#sorted.length + this.#recent.size;
  }

  /** Adds `id`. */
  add(id: string): void {
    const key = keyOf(id);
    if (this.#recent.has(key) || this.#inSorted(key)) return;
    this.#recent.add(key);
    if (this.#recent.size >= RECENT_IDS) this.#merge();
  }

  /** Whether `id` was added — or, about once in 2^53, another id with the same hash (the caller then checks the whole record). */
  mayContain(id: string): boolean {
    const key = keyOf(id);
    return this.#recent.has(key) || this.#inSorted(key);
  }

  #inSorted(key: number): boolean {
    const sorted = this.#sorted;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = sorted[middle] as number;
      if (value === key) return true;
      if (value < key) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  #merge(): void {
    const recent = Float64Array.from(this.#recent).sort();
    const old = this.#sorted;
    const merged = new Float64Array(old.length + recent.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < recent.length) merged[k++] = (old[i] as number) < (recent[j] as number) ? (old[i++] as number) : (recent[j++] as number);
    while (i < old.length) merged[k++] = old[i++] as number;
    while (j < recent.length) merged[k++] = recent[j++] as number;
    this.#sorted = merged;
    this.#recent = new Set();
  }
}

function keyOf(id: string): number {
  return (hashHigh(id) & 0x1fffff) * 0x100000000 + hashLow(id);
}

function hashHigh(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashLow(id: string): number {
  let h = 0x9e3779b1;
  for (let i = id.length - 1; i >= 0; i--) h = Math.imul(h ^ id.charCodeAt(i), 0x85ebca6b) ^ (h >>> 13);
  return h >>> 0;
}

/** The operation `id` of the record; throws OperationsNotInMemory when it may be one the record let go of. */
export function operationOf(record: ExecutionRecord, id: string): Operation | undefined {
  const op = record.operations.get(id);
  if (op !== undefined || record.evicted === undefined || !record.evicted.mayContain(id)) return op;
  throw new OperationsNotInMemory(`operation "${id}" was let go of`);
}

/** Throws OperationsNotInMemory unless every operation of the record is in memory (paging, listing). */
export function assertWholeRecord(record: ExecutionRecord, purpose: string): void {
  if (record.evicted !== undefined) throw new OperationsNotInMemory(`${purpose} needs every operation`);
}

const OPEN_STATUSES = new Set(["STARTED", "PENDING", "READY"]);
const EVICTABLE_TYPES = new Set(["STEP", "WAIT", "CONTEXT"]);

/**
 * Lets go of the settled steps, waits and contexts of `record`, keeping: the execution's own
 * operation, callbacks and chained invokes (completed from outside, looked up by id), operations
 * not settled, contexts that still have an open child (a late update from that child checks its
 * parent), and `keep` (changes a running invocation has yet to be told of). `operationOrder` is
 * cleared: reading operations in order needs the whole record anyway. Returns how many are held
 * afterwards. O(operations held).
 */
export function evictSettledOperations(record: ExecutionRecord, keep: ReadonlySet<string> = new Set()): number {
  const parentsOfOpen = new Set<string>();
  for (const op of record.operations.values()) {
    if (OPEN_STATUSES.has(op.Status) && op.ParentId !== undefined) parentsOfOpen.add(op.ParentId);
  }
  const evicted = (record.evicted ??= new EvictedOperationIds());
  for (const [id, op] of record.operations) {
    if (
      id === EXECUTION_OPERATION_ID ||
      !EVICTABLE_TYPES.has(op.Type) ||
      OPEN_STATUSES.has(op.Status) ||
      parentsOfOpen.has(id) ||
      keep.has(id)
    ) {
      continue;
    }
    evicted.add(id);
    record.operations.delete(id);
  }
  record.operationOrder = [];
  return record.operations.size;
}
