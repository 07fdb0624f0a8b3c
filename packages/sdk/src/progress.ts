// @cairn/sdk/progress: reading a distributed map's progress from an execution's operations, with
// no runtime dependency (a web page can bundle it alone). Also exported by @cairn/sdk itself.
export {
  DISTRIBUTED_MAP_COUNT_NAMES,
  describeDistributedMap,
  distributedMapProgress,
  type DistributedMapChildCounts,
  type DistributedMapPartitionProgress,
  type DistributedMapPartitionStatus,
  type DistributedMapProgress,
  type PayloadDecoder,
  type ProgressOperation,
  type ProgressOperationDetails,
} from "./distributed-map/progress.js";
export type { DistributedMapCounts } from "./types/distributed-map.js";
