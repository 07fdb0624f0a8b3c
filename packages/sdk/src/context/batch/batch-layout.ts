import { BatchItemStatus, type BatchItem, type CompletionItemStatus } from "../../types/batch.js";
import type { PartitionChains } from "./partitions.js";
import type { UnitOutcome } from "./scheduler.js";

/**
 * How a batch's units (the child contexts it runs) map onto the items its BatchResult reports. A
 * map or parallel has one item per unit; mapBatches has one unit per chunk of items.
 */
export interface BatchLayout<U, R> {
  /** Items in the batch (what completion thresholds and toSqsBatchResponse count). */
  totalItems: number;
  weight?: ((unit: number) => number) | undefined;
  itemStatuses?: ((unitStatuses: readonly (BatchItemStatus | undefined)[]) => CompletionItemStatus[]) | undefined;
  chains?: PartitionChains | undefined;
  /**
   * The BatchResult's items, in input order, from every unit's status and outcome. Takes the
   * outcomes over: each is cleared once its items are built, so a collection during the build can
   * reclaim it and the batch is never held twice (outcomes and items) at its largest.
   */
  build(statuses: readonly (BatchItemStatus | undefined)[], outcomes: (UnitOutcome<U> | undefined)[]): BatchItem<R>[];
}

/** One item per unit. */
export function unitLayout<T>(count: number, chains?: PartitionChains): BatchLayout<T, T> {
  return {
    totalItems: count,
    chains,
    build(statuses, outcomes) {
      const items: BatchItem<T>[] = [];
      for (let index = 0; index < statuses.length; index++) {
        const status = statuses[index];
        if (status === undefined) continue;
        const outcome = outcomes[index];
        items.push(outcome ? itemOf(index, outcome) : { index, status });
        outcomes[index] = undefined;
      }
      return items;
    },
  };
}

export function itemOf<T>(index: number, outcome: UnitOutcome<T>): BatchItem<T> {
  switch (outcome.status) {
    case "SUCCEEDED":
      return { index, status: BatchItemStatus.SUCCEEDED, result: outcome.value };
    case "FAILED":
      return { index, status: BatchItemStatus.FAILED, error: outcome.error };
    default:
      return { index, status: BatchItemStatus.TIMED_OUT, error: outcome.error };
  }
}
