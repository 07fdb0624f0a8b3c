import { BatchItemStatus, type BatchItem, type CompletionItemStatus } from "../../types/batch.js";
import type { PartitionChains } from "./partitions.js";
import type { ChildContextError } from "../../errors/durable-errors.js";
import type { UnitResults } from "./scheduler.js";

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
   * The BatchResult's items, in input order, from every unit's status and result (see
   * UnitResults). Takes the results over: each is cleared once its items are built, so a
   * collection during the build can reclaim it and the batch is never held twice (results and
   * items) at its largest.
   */
  build(statuses: readonly (BatchItemStatus | undefined)[], results: UnitResults<U>): BatchItem<R>[];
}

/** One item per unit. */
export function unitLayout<T>(count: number, chains?: PartitionChains): BatchLayout<T, T> {
  return {
    totalItems: count,
    chains,
    build(statuses, results) {
      const items: BatchItem<T>[] = [];
      for (let index = 0; index < statuses.length; index++) {
        const status = statuses[index];
        if (status === undefined) continue;
        items.push(itemOf(index, status, results[index]));
        results[index] = undefined;
      }
      return items;
    },
  };
}

/** The BatchItem of a unit (or of an input item of a chunk) with `status` and its result. */
export function itemOf<T>(index: number, status: BatchItemStatus, result: T | ChildContextError | undefined): BatchItem<T> {
  switch (status) {
    case BatchItemStatus.SUCCEEDED:
      return { index, status, result: result as T };
    case BatchItemStatus.FAILED:
    case BatchItemStatus.TIMED_OUT:
      return { index, status, error: result as ChildContextError };
    default:
      return { index, status };
  }
}
