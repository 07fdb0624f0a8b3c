export type {
  CallbackCompletionResult,
  Clock,
  DurableExecutionService,
  ExecutionStatus,
  ExecutionSummary,
  InvocationOutcome,
  InvocationTicket,
  StartExecutionParams,
} from "./service-api.js";
export { CheckpointService, type CheckpointServiceOptions } from "./checkpoint-service.js";
export type { ExecutionStore, StoreDecision } from "./execution-store.js";
export { KeyedSerialQueue } from "./keyed-serial-queue.js";
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
// The pure core, for stores outside this package (e.g. DynamoDB) and for tooling.
export {
  EXECUTION_OPERATION_ID,
  applyMutation,
  createEmptyRecord,
  type ActiveInvocation,
  type CheckpointedOutcome,
  type ExecutionMutation,
  type ExecutionRecord,
} from "./execution-record.js";
export { planCheckpoint, VALID_ACTIONS, type CheckpointPlan } from "./apply-checkpoint.js";
export {
  planBeginInvocation,
  planEndInvocation,
  planStartExecution,
  type BeginInvocationPlan,
  type NewExecution,
} from "./invocation-lifecycle.js";
export { nextTimerOf, planFireDueTimers, type FireTimersPlan } from "./timers.js";
export { wakeAtOf } from "./wake.js";
export { planCallbackCompletion, validateCompletion, type CallbackCompletion, type CallbackPlan } from "./callbacks.js";
export { parseCallbackId, type CallbackAddress } from "./callback-ids.js";
export {
  pendingChainedInvokesOf,
  planCompleteChainedInvoke,
  targetExecutionName,
  LOCAL_EXECUTED_VERSION,
  type ChainedInvokeOutcome,
  type PendingChainedInvoke,
} from "./chained-invokes.js";
export { planStopExecution } from "./stop-execution.js";
export { pageOperations, DEFAULT_PAGE_SIZE, type OperationsPage } from "./operation-paging.js";
export type { CoreContext } from "./core-context.js";
export { randomIds, executionArnOf, executionIdOfArn, type IdSource } from "./ids.js";
