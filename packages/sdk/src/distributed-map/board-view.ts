import type { DistributedMapBoardView, DistributedMapCompletionReason, DistributedMapCounts } from "../types/distributed-map.js";
import { addCounts, zeroCounts } from "../context/distributed-map/partition-result.js";

/** A board's view from each partition's latest counts and the stop posted, if any. */
export function boardView(
  latest: Iterable<DistributedMapCounts>,
  stopped: Exclude<DistributedMapCompletionReason, "ALL_COMPLETED"> | undefined,
): DistributedMapBoardView {
  const counts = zeroCounts();
  for (const partition of latest) addCounts(counts, partition);
  return stopped === undefined ? { counts } : { counts, stopped };
}
