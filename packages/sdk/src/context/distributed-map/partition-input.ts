// The input of a child execution. A reserved key marks it, so withDurableExecution runs the
// partition worker instead of the user's handler; everything in it is JSON and small (no items).

import type { DistributedMapCompletionConfig } from "../../types/distributed-map.js";
import type { PartitionResult } from "./partition-result.js";

/** The reserved key of a partition input. */
export const PARTITION_INPUT_KEY = "$cairnDistributedMapPartition";

/** What one child is asked to do. */
export interface PartitionTask {
  /** The definition's name. */
  map: string;
  /** Identifies the run for the failed-item writer. */
  runId: string;
  /** The run's params, handed to the source; absent when the run has none. */
  params?: unknown;
  /** This child's partition and how many there are. */
  partition: number;
  partitionCount: number;
  /** Array sources: the range [start, end) of the array this child reads. */
  range?: [number, number];
  /** Paginated sources split by the source: where this child starts reading. */
  startCursor?: unknown;
  /**
   * Split by `partitionOf`: read the whole source and keep this partition's items — `true` for
   * this run's own partition and count, or the partition and count of the run it continues.
   */
  filter?: true | { partition: number; count: number };
  /** Failed items kept in the child's result. */
  maxFailedItems: number;
  /** Stop reading pages once this child's own failures exceed this. */
  stopAfterFailures?: number;
  /** The run's completion, applied to the progress board's sums between pages. */
  completion?: DistributedMapCompletionConfig;
  /** The run's item count when known (array sources), for a tolerated percentage. */
  totalItems?: number;
  /** The function children run in: where a child hands the rest of its partition on (`pagesPerExecution`). */
  functionName?: string;
  /** In a continuation: what the executions before it did (counts, failed items, pages read). */
  carried?: Omit<PartitionResult, "partition">;
}

/** A child's input. */
export interface PartitionInput {
  [PARTITION_INPUT_KEY]: PartitionTask;
}

/** Whether a handler's event is a partition input (its marker key present). */
export function isPartitionInput(event: unknown): event is PartitionInput {
  return typeof event === "object" && event !== null && !Array.isArray(event) && PARTITION_INPUT_KEY in event;
}
