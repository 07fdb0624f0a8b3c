import type { DistributedMapCounts, DistributedMapFailedItem, DistributedMapStopReason } from "../../types/distributed-map.js";

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

// The count helpers live with the progress reader, which must stay free of runtime imports.
export { addCounts, zeroCounts } from "../../distributed-map/progress.js";
