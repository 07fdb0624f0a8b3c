import type { DistributedMapBoardView, DistributedMapStopReason, DistributedMapCounts } from "../types/distributed-map.js";
import { addCounts, zeroCounts } from "../context/distributed-map/partition-result.js";

/** A board's view from each partition's latest counts and the stop posted, if any. */
export function boardView(
  latest: Iterable<DistributedMapCounts>,
  stopped: DistributedMapStopReason | undefined,
): DistributedMapBoardView {
  const counts = zeroCounts();
  for (const partition of latest) addCounts(counts, partition);
  return stopped === undefined ? { counts } : { counts, stopped };
}
