import type { DistributedMapBoardView, DistributedMapCounts, DistributedMapStopReason } from "../types/distributed-map.js";
import { addCounts, zeroCounts } from "./progress.js";

/** A board's view from each partition's latest counts and the stop posted, if any. */
export function boardView(
  latest: Iterable<DistributedMapCounts>,
  stopped: DistributedMapStopReason | undefined,
): DistributedMapBoardView {
  const counts = zeroCounts();
  for (const partition of latest) addCounts(counts, partition);
  return stopped === undefined ? { counts } : { counts, stopped };
}
