// Public API of @cairn/sdk.
export * from "./protocol/index.js";
export * from "./types/index.js";
export * from "./errors/index.js";
export { defaultSerdes, jsonSerdes } from "./serdes/index.js";
export {
  createRetryStrategy,
  createLinearRetryStrategy,
  retryPresets,
  type RetryStrategyConfig,
  type LinearRetryStrategyConfig,
} from "./retry/index.js";
export { allSuccessful, firstSuccessful, allCompleted, minSuccessful } from "./context/batch/completion-helpers.js";
export {
  withDurableExecution,
  type DurableExecutionConfig,
  type DurableLambdaHandler,
} from "./engine/with-durable-execution.js";
export {
  attachInvocationEnvironment,
  invocationEnvironmentOf,
  type InvocationEnvironment,
  type DurableLogRecord,
} from "./engine/invocation-environment.js";
// Service side: the checkpoint service core and its stores (memory, embedded file store).
export {
  CheckpointService,
  MemoryExecutionStore,
  FileExecutionStore,
  CheckpointServiceError,
  CorruptLogError,
  ExecutionAlreadyExistsError,
  ExecutionClosedError,
  ExecutionNotFoundError,
  InvalidCheckpointError,
  InvalidRequestError,
  StaleCheckpointTokenError,
  StoreLockTimeoutError,
  EXECUTION_OPERATION_ID,
  applyMutation,
  createEmptyRecord,
  planCheckpoint,
  planBeginInvocation,
  planEndInvocation,
  planStartExecution,
  planFireDueTimers,
  nextTimerOf,
  pageOperations,
  executionIdOfArn,
  type CheckpointServiceOptions,
  type ExecutionStore,
  type StoreDecision,
  type FileExecutionStoreOptions,
  type ExecutionMutation,
  type ExecutionRecord,
  type Clock,
  type DurableExecutionService,
  type ExecutionStatus,
  type ExecutionSummary,
  type InvocationOutcome,
  type InvocationTicket,
  type StartExecutionParams,
} from "./service/index.js";
// Orchestration: driving an execution through invocations (local runner, CLI, workers).
export {
  VirtualClock,
  systemClock,
  toOrchestratorClock,
  DEFAULT_MAX_INVOCATIONS,
  DEFAULT_MAX_INVOCATIONS_WITHOUT_PROGRESS,
  runExecution,
  invokeOnce,
  DEFAULT_CRASH_ERROR,
  InvocationLimitError,
  NoProgressError,
  type OrchestratorClock,
  type BackendWrapper,
  type DurableInvocationHandler,
  type InvocationControl,
  type InvocationRecord,
  type InvokeOptions,
  type ExecutionTarget,
  type OrchestrationResult,
  type OrchestrationState,
  type RunExecutionOptions,
} from "./orchestrator/index.js";
