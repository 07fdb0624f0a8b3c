/**
 * `@cairn/sdk/service`: the checkpoint service and its stores, for people running executions
 * (a runner, a CLI, a worker pool) or writing a store. `CheckpointService` applies checkpoints to
 * an `ExecutionStore`: the memory store, the embedded file store, or one of your own built on the
 * record functions below (`@cairn/dynamodb` is one).
 *
 * Node only (the file store uses `node:fs`); a handler never imports it.
 *
 * @packageDocumentation
 */
export type {
  CallbackCompletionResult,
  Clock,
  DurableExecutionService,
  BlockingMismatch,
  ExecutionBlock,
  ExecutionStatus,
  ExecutionSummary,
  InvocationOutcome,
  NondeterminismPolicy,
  InvocationTicket,
  StartExecutionParams,
} from "./service-api.js";
export { systemClock, type OrchestratorClock } from "./clock.js";
export { CheckpointService, type CheckpointServiceOptions } from "./checkpoint-service.js";
export type { ExecutionStore, StoreDecision, StoreUpdate } from "./execution-store.js";
export { MemoryExecutionStore } from "./memory-store.js";
export { FileExecutionStore, type FileExecutionStoreOptions } from "./file-store/file-store.js";
export {
  CallbackAlreadyCompletedError,
  CallbackNotFoundError,
  CheckpointServiceError,
  CorruptLogError,
  ExecutionAlreadyExistsError,
  ExecutionClosedError,
  ExecutionNotFoundError,
  InvalidCallbackIdError,
  InvalidCheckpointError,
  InvalidRequestError,
  StaleCheckpointTokenError,
  StoreLockTimeoutError,
} from "./errors.js";
// For stores outside this package: the record an ExecutionStore keeps, how a decision changes it,
// and when it next needs attention.
export {
  EXECUTION_OPERATION_ID,
  applyMutation,
  createEmptyRecord,
  type EmptyRecordOptions,
  type ActiveInvocation,
  type CheckpointedOutcome,
  type ExecutionMutation,
  type ExecutionRecord,
} from "./execution-record.js";
export { UpdatedOperationsTracker } from "./updated-operations.js";
export { EvictedOperationIds } from "./evicted-ids/evicted-operation-ids.js";
export { nextTimerOf } from "./timers.js";
export { wakeAtOf } from "./wake.js";
export { blockedRetryDelayMs, FIRST_BLOCKED_RETRY_MS, MAX_BLOCKED_RETRY_MS } from "./blocked-execution.js";
export { planFailExecution, planStopExecution } from "./stop-execution.js";
export { KeyedSerialQueue } from "./keyed-serial-queue.js";
export { randomIds, executionArnOf, executionIdOfArn, type IdSource } from "./ids.js";
export type { CoreContext } from "./core-context.js";
export type { ChainedInvokeOutcome, PendingChainedInvoke } from "./chained-invokes.js";
export { JsonLinesFailedItemWriter, type FailedItemsCursor } from "../distributed-map/json-lines-failed-item-writer.js";
export { FileProgressBoard } from "../distributed-map/file-progress-board.js";
// The distributed map's types the writer's signatures use (the same ones `@cairn/sdk` exports).
export type {
  DistributedMapBoardView,
  DistributedMapCompletionReason,
  DistributedMapCounts,
  DistributedMapProgressBoard,
  DistributedMapStopReason,
  DistributedMapFailedItem,
  DistributedMapFailedItemBatch,
  DistributedMapFailedItemWriter,
  DistributedMapPage,
  DistributedMapPageReader,
  DistributedMapPaginatedSource,
} from "../types/distributed-map.js";
// The checkpoint protocol's types, which these signatures use (its values are in `@cairn/sdk`).
export type * from "../protocol/index.js";
