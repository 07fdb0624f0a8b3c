// What the distributed-map worker process and its test agree on: the run's input and which items
// fail for good. Free of side effects, so the test can import it without starting a worker.

/** The input the test starts the distributed map with. */
export interface DistributedMapRunInput {
  /** Items, ids 0 .. count - 1. */
  count: number;
  /** Items per page a child reads (and checkpoints) at a time. */
  pageSize: number;
  /** Partitions, one child execution each. */
  children: number;
}

/** Items that fail for good: their effect step throws and is not retried. */
export const isRejected = (id: number): boolean => id % 1000 === 500;
