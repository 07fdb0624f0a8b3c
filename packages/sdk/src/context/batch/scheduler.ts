import type { ChildContextError } from "../../errors/durable-errors.js";
import { BatchItemStatus, type CompletionConfig, type CompletionItemStatus, type CompletionReason } from "../../types/batch.js";
import { childError, type ChildOutcome } from "../child-context-operation.js";
import { completionReason } from "./completion.js";
import type { PartitionChains } from "./partitions.js";
import { ReadyQueue } from "./ready-queue.js";

/** How one unit (branch, item or chunk) ended. */
export type UnitOutcome<T> = ChildOutcome<T> | { status: "TIMED_OUT"; error: ChildContextError };

export interface ScheduleSpec<T> {
  /** Number of units. */
  count: number;
  /**
   * Starts unit `index`; tells `report` how it ended, always later (never before it returns), at
   * most once, and never when it cannot end (its context closed). It must not throw. A unit
   * reports through a shared object rather than a promise, so a batch whose units wait does not
   * hold a promise, a reaction and two closures for each of them.
   */
  run: (index: number, report: UnitReport<T>) => void;
  maxConcurrency?: number | undefined;
  completion?: CompletionConfig | undefined;
  /** Items a unit stands for (a chunk's size); 1 when absent. Completion counts items. */
  weight?: ((unit: number) => number) | undefined;
  /** Items in all units. */
  totalItems: number;
  /** Per-item statuses for a custom completion predicate; per unit when absent. */
  itemStatuses?: ((unitStatuses: readonly (BatchItemStatus | undefined)[]) => CompletionItemStatus[]) | undefined;
  /** FIFO order by key; every unit independent when absent. */
  chains?: PartitionChains | undefined;
}

/** Where units report how they ended (one object for the whole batch). */
export interface UnitReport<T> {
  /** Unit `index` ended with `outcome`. */
  ended(index: number, outcome: UnitOutcome<T>): void;
  /** Unit `index` failed outside its function (its end could not be checkpointed): it counts as FAILED. */
  broke(index: number, error: unknown): void;
}

/**
 * Per unit, what its BatchItem reports beside its status: the value of a SUCCEEDED unit, the error
 * of a FAILED or TIMED_OUT one. Kept apart from the statuses, so a finished unit costs a slot in
 * an array rather than an outcome object while the batch runs (a map of 100 000 items held one
 * each until it built its result).
 */
export type UnitResults<T> = (T | ChildContextError | undefined)[];

export interface Schedule<T> {
  reason: CompletionReason;
  /** Per unit: undefined when never started. */
  statuses: (BatchItemStatus | undefined)[];
  results: UnitResults<T>;
}

/** The status a unit's outcome gives its BatchItem. */
export const STATUS_OF: Record<UnitOutcome<unknown>["status"], BatchItemStatus> = {
  SUCCEEDED: BatchItemStatus.SUCCEEDED,
  FAILED: BatchItemStatus.FAILED,
  TIMED_OUT: BatchItemStatus.TIMED_OUT,
};

/** What `outcome` leaves in a unit's UnitResults slot. */
export function resultOf<T>(outcome: UnitOutcome<T>): T | ChildContextError {
  return outcome.status === "SUCCEEDED" ? outcome.value : outcome.error;
}

/**
 * Starts units within the concurrency bound until a completion reason applies. Unkeyed units start
 * in input order; keyed units start when the previous unit of their key succeeded, lowest index
 * first, and the rest of a key is SKIPPED once one of its units failed or timed out.
 */
export function schedule<T>(spec: ScheduleSpec<T>): Promise<Schedule<T>> {
  const { count, chains } = spec;
  const statuses: (BatchItemStatus | undefined)[] = new Array(count).fill(undefined);
  const results: UnitResults<T> = new Array(count).fill(undefined);
  const limit = spec.maxConcurrency ?? Infinity;
  const weight = spec.weight ?? (() => 1);
  const ready = chains ? new ReadyQueue([...chains.heads]) : undefined;
  let next = 0;
  let running = 0;
  let successCount = 0;
  let failureCount = 0;
  let timedOutCount = 0;
  let skippedCount = 0;
  let reason: CompletionReason | undefined = count === 0 ? "ALL_COMPLETED" : undefined;

  const nextUnit = (): number | undefined => {
    if (ready) return ready.pop();
    return next < count ? next++ : undefined;
  };
  const hasNext = (): boolean => (ready ? ready.size > 0 : next < count);

  return new Promise((resolve) => {
    const finish = (): void => resolve({ reason: reason as CompletionReason, statuses, results });
    const skipRestOfKey = (index: number): void => {
      if (!chains) return;
      for (let later = chains.next[index] as number; later >= 0; later = chains.next[later] as number) {
        statuses[later] = BatchItemStatus.SKIPPED;
        skippedCount += weight(later);
      }
    };
    const settle = (index: number, outcome: UnitOutcome<T>): void => {
      if (reason) return; // completed already: a late unit stays STARTED
      running--;
      results[index] = resultOf(outcome);
      const status = STATUS_OF[outcome.status];
      statuses[index] = status;
      const items = weight(index);
      if (status === BatchItemStatus.SUCCEEDED) {
        successCount += items;
        const successor = chains?.next[index];
        if (successor !== undefined && successor >= 0) ready?.push(successor);
      } else {
        failureCount += items;
        if (status === BatchItemStatus.TIMED_OUT) timedOutCount += items;
        skipRestOfKey(index);
      }
      reason = decide();
      if (reason) finish();
      else launch();
    };
    const report: UnitReport<T> = {
      ended: settle,
      broke: (index, error) => settle(index, { status: "FAILED", error: asChildError(error) }),
    };
    const decide = (): CompletionReason | undefined =>
      completionReason(spec.completion, {
        successCount,
        failureCount,
        timedOutCount,
        skippedCount,
        completedCount: successCount + failureCount + skippedCount,
        totalCount: spec.totalItems,
        items: () =>
          spec.itemStatuses
            ? spec.itemStatuses(statuses)
            : statuses.map((s, i) => (s === undefined ? { index: i } : { index: i, status: s })),
      });
    const launch = (): void => {
      while (!reason && running < limit && hasNext()) {
        const index = nextUnit() as number;
        running++;
        statuses[index] = BatchItemStatus.STARTED;
        spec.run(index, report);
      }
    };
    // A shouldComplete predicate is asked before anything starts too, as on AWS: it may decline
    // the batch up front (a guard), and then no unit runs.
    if (!reason && spec.completion?.shouldComplete) reason = decide();
    if (reason) finish();
    else launch();
  });
}

function asChildError(error: unknown): ChildContextError {
  return childError(
    { ErrorType: error instanceof Error ? error.name : "Error", ErrorMessage: error instanceof Error ? error.message : String(error) },
    "batch item",
  );
}
