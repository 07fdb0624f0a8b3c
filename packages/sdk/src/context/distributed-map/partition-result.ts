import type { DistributedMapStopReason, DistributedMapCounts, DistributedMapFailedItem } from "../../types/distributed-map.js";

/** What a child execution returns to the parent: counts and a bounded list of failed items. */
export interface PartitionResult {
  partition: number;
  counts: DistributedMapCounts;
  pages: number;
  failedItems: DistributedMapFailedItem[];
  failedItemsTruncated: boolean;
  /** Set when the child stopped reading pages because completion was reached. */
  stoppedEarly?: boolean;
  /** Why it stopped early, when the whole map's counts (the progress board) said so. */
  stopReason?: DistributedMapStopReason;
  /** Set when reading a page kept failing: the child stopped there, keeping what it had done. */
  readError?: string;
  /** Present when the child stopped before its partition's end: the cursor of the first page not processed (absent inside: the source's first page). */
  unread?: { cursor?: unknown };
}

/** Counts with everything at zero. */
export function zeroCounts(): DistributedMapCounts {
  return { succeeded: 0, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 0 };
}

/** Adds `more` into `into` (in place). */
export function addCounts(into: DistributedMapCounts, more: DistributedMapCounts): DistributedMapCounts {
  into.succeeded += more.succeeded;
  into.failed += more.failed;
  into.timedOut += more.timedOut;
  into.skipped += more.skipped;
  into.pending += more.pending;
  into.total += more.total;
  return into;
}
