import type { HistoryEvent } from "../protocol/history.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { callbackTimeoutOf } from "./callback-deadlines.js";
import type { ExecutionSummary } from "./service-api.js";
import type { EvictedOperationIds } from "./evicted-ids/evicted-operation-ids.js";
import { UpdatedOperationsTracker } from "./updated-operations.js";

export { EXECUTION_OPERATION_ID } from "../protocol/wire.js";

/** The invocation that currently owns the execution (holds the current checkpoint token). */
export interface ActiveInvocation {
  /** The invocation's request id. */
  requestId: string;
  /** When it began. */
  startTimestamp: Date;
  /** Prefix of every checkpoint token issued to this invocation. */
  invocationKey: string;
  /**
   * Operations changed outside this invocation (a callback completed, an invoke finished, a timer
   * fired by an orchestrator) that it has not been told of yet: its next checkpoint response
   * reports them (see live-invocation.ts).
   */
  changedOutside?: string[];
}

/**
 * An outcome the handler checkpointed through an EXECUTION SUCCEED/FAIL update (used when the
 * result is too big for the invocation response). It becomes the execution's result only at
 * endInvocation.
 */
export type CheckpointedOutcome =
  | {
      /** The handler succeeded. */
      status: "SUCCEEDED";
      /** Its result, serialized. */
      result?: string;
    }
  | {
      /** The handler failed. */
      status: "FAILED";
      /** Why. */
      error?: ErrorObject;
    };

/**
 * Everything the service knows about one execution. Stores keep it; only `applyMutation`
 * changes it, so every store evolves it identically.
 */
export interface ExecutionRecord {
  /** The execution's id (a ULID). */
  executionId: string;
  /** Number of mutations applied; the next mutation must carry seq + 1. */
  seq: number;
  /** What getExecution reports. */
  summary: ExecutionSummary;
  /** Operations by id; Map iteration order is insertion order. */
  operations: Map<string, Operation>;
  /** Operation ids in insertion order, for O(1) paging by position; empty once some were let go of (see `evicted`). */
  operationOrder: string[];
  /**
   * Ids of settled operations the store let go of from `operations` (see resident-operations.ts);
   * undefined while every operation is held. The core looks operations up through operationOf.
   */
  evicted?: EvictedOperationIds | undefined;
  /**
   * The history events, in order, when the store keeps them in memory (the memory store, DynamoDB);
   * undefined when it reads them from where it keeps them (the file store: its log), so a long
   * execution's history never sits in memory whole. The core never reads it: it has
   * {@link ExecutionRecord.eventCount} and {@link ExecutionRecord.updatedOperations}.
   */
  history: HistoryEvent[] | undefined;
  /** How many history events the execution has (the next event's EventId is this + 1). */
  eventCount: number;
  /** The next invocation's UpdatedOperationIds, kept up to date as events are applied. */
  updatedOperations: UpdatedOperationsTracker;
  /**
   * STARTED chained invokes by operation id, in start order, with their ChainedInvokeStarted
   * details: what a dispatcher needs to run their targets.
   */
  startedInvokes: Map<string, NonNullable<HistoryEvent["ChainedInvokeStartedDetails"]>>;
  /** The only token checkpoint() accepts; undefined while no invocation runs. */
  checkpointToken: string | undefined;
  /** The invocation that owns the execution now, if any. */
  invocation: ActiveInvocation | undefined;
  /** An outcome the handler checkpointed, not yet the execution's. */
  outcome: CheckpointedOutcome | undefined;
  /** Ids of operations with a timer pending (STARTED waits, PENDING steps, STARTED callbacks with a timeout). */
  timers: Set<string>;
  /**
   * No timer in `timers` falls due before this time (epoch ms); undefined when not known. A lower
   * bound, lowered as timers are set and made exact whenever every timer is looked at: a
   * checkpoint while thousands of waits are pending looks at none of them until one may be due
   * (see timers.ts timerCandidates). Derived, never stored.
   */
  timersNotBefore?: number | undefined;
  /**
   * Something outside any invocation changed an operation the handler may be blocked on (a
   * callback completed, a chained invoke finished) since the current or last invocation began:
   * the execution should be invoked again as soon as no invocation runs. Cleared when one begins.
   */
  wakePending: boolean;
}

/**
 * A change to a record, as decided by the core. It is what stores persist (the file store's log
 * is a sequence of them) and replaying the mutations in order rebuilds the record.
 *
 * `null` clears a field; an absent field leaves it as it is.
 */
export interface ExecutionMutation {
  /** The record's `seq` after this mutation (one more than before). */
  seq: number;
  /** The new summary. */
  summary?: ExecutionSummary;
  /** The new current token. */
  checkpointToken?: string | null;
  /** The new owning invocation. */
  invocation?: ActiveInvocation | null;
  /** The new checkpointed outcome. */
  outcome?: CheckpointedOutcome | null;
  /** true requests a wake-up (see ExecutionRecord.wakePending); null clears it. */
  wakePending?: true | null;
  /** New versions of changed operations (inserted when new), in the order they changed. */
  operations?: Operation[];
  /** History events to append, EventIds already assigned. */
  events?: HistoryEvent[];
}

/** Options of {@link createEmptyRecord}. */
export interface EmptyRecordOptions {
  /** Keep the history events in `record.history` (default true); a store that can read them back from disk says false. */
  keepHistory?: boolean | undefined;
}

/**
 * A record with nothing in it, for `applyMutation` to build an execution on (its first mutation fills
 * it in).
 */
export function createEmptyRecord(executionId: string, options: EmptyRecordOptions = {}): ExecutionRecord {
  return {
    executionId,
    seq: 0,
    summary: {
      executionArn: "",
      executionName: "",
      status: "RUNNING",
      startTimestamp: new Date(0),
      invocationCount: 0,
    },
    operations: new Map(),
    operationOrder: [],
    history: options.keepHistory === false ? undefined : [],
    eventCount: 0,
    updatedOperations: new UpdatedOperationsTracker(),
    startedInvokes: new Map(),
    checkpointToken: undefined,
    invocation: undefined,
    outcome: undefined,
    timers: new Set(),
    wakePending: false,
  };
}

/**
 * The running invocation with `ids` added to what it has yet to be told of, or undefined when no
 * invocation runs (the next one reads every operation anyway).
 */
export function withChangedOutside(record: ExecutionRecord, ids: readonly string[]): ActiveInvocation | undefined {
  const invocation = record.invocation;
  if (!invocation || ids.length === 0) return undefined;
  const changed = new Set(invocation.changedOutside ?? []);
  for (const id of ids) changed.add(id);
  return { ...invocation, changedOutside: [...changed] };
}

/** When the operation's timer fires (a STARTED wait's end, a PENDING step's retry, a STARTED callback's timeout); undefined when it has none. */
export function pendingTimerOf(op: Operation): Date | undefined {
  if (op.Type === "WAIT" && op.Status === "STARTED") return op.WaitDetails?.ScheduledEndTimestamp;
  if (op.Type === "STEP" && op.Status === "PENDING") return op.StepDetails?.NextAttemptTimestamp;
  const callback = callbackTimeoutOf(op);
  return callback && new Date(callback.at);
}

/**
 * Applies a mutation in place. The mutation's objects become part of the record, so the caller
 * must not keep using them (the core always builds fresh ones). Cost is O(size of the mutation).
 */
export function applyMutation(record: ExecutionRecord, mutation: ExecutionMutation): void {
  if (mutation.seq !== record.seq + 1) {
    throw new Error(
      `Mutation seq ${mutation.seq} does not follow record seq ${record.seq} of execution ${record.executionId}`,
    );
  }
  record.seq = mutation.seq;
  if (mutation.summary) record.summary = mutation.summary;
  if (mutation.checkpointToken !== undefined) record.checkpointToken = mutation.checkpointToken ?? undefined;
  if (mutation.invocation !== undefined) record.invocation = mutation.invocation ?? undefined;
  if (mutation.outcome !== undefined) record.outcome = mutation.outcome ?? undefined;
  if (mutation.wakePending !== undefined) record.wakePending = mutation.wakePending === true;
  for (const op of mutation.operations ?? []) {
    if (record.evicted === undefined && !record.operations.has(op.Id)) record.operationOrder.push(op.Id);
    record.operations.set(op.Id, op);
    const timer = pendingTimerOf(op);
    if (timer === undefined) record.timers.delete(op.Id);
    else {
      record.timers.add(op.Id);
      // Keep the bound a bound: a timer before it (or one without a valid time) lowers it.
      const at = timer.getTime();
      if (record.timersNotBefore !== undefined && !(at >= record.timersNotBefore)) record.timersNotBefore = Number.isNaN(at) ? undefined : at;
    }
    if (op.Status !== "STARTED") record.startedInvokes.delete(op.Id);
  }
  const invocationRunning = record.invocation !== undefined;
  for (const event of mutation.events ?? []) {
    record.history?.push(event);
    record.eventCount++;
    record.updatedOperations.observe(event, invocationRunning);
    if (event.EventType === "ChainedInvokeStarted" && event.Id !== undefined && record.operations.get(event.Id)?.Status === "STARTED") {
      record.startedInvokes.set(event.Id, event.ChainedInvokeStartedDetails ?? {});
    }
  }
}
