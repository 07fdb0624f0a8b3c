// Settled operations a store lets go of from memory. A long execution (a map over 100 000 items)
// keeps hundreds of thousands of operations its service never reads again: once a step or wait
// has settled, a correct handler never names it in a checkpoint. A store that can read its
// record back whole (the file store, from its log) may drop them from `record.operations`; the
// core then looks operations up through operationOf, which recognises a dropped id and asks for
// the whole record (OperationsNotInMemory) instead of mistaking it for a new one — so a stray
// update naming a settled operation is refused exactly as before, only more slowly.
import type { Operation } from "../protocol/wire.js";
import { EvictedOperationIds } from "./evicted-ids/evicted-operation-ids.js";
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
