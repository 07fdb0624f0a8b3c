// Public API of @cairn/sdk.
export * from "./protocol/index.js";
export * from "./types/index.js";
export * from "./errors/index.js";
export { defaultSerdes, jsonSerdes, serializeValue, deserializeValue } from "./serdes/index.js";
export {
  createRetryStrategy,
  createLinearRetryStrategy,
  retryPresets,
  type RetryStrategyConfig,
  type LinearRetryStrategyConfig,
} from "./retry/index.js";
export {
  createWaitStrategy,
  WaitStrategyExhaustedError,
  type WaitStrategyConfig,
} from "./retry/index.js";
export { allSuccessful, firstSuccessful, allCompleted, minSuccessful } from "./context/batch/completion-helpers.js";
export { createBatchResult } from "./context/batch/batch-result.js";
export {
  processSqsBatch,
  type SqsEvent,
  type SqsRecord,
  type SqsRecordFields,
  type SqsRecordHandler,
  type ProcessSqsBatchOptions,
} from "./queues/sqs.js";
export * from "./queues/streams-index.js";
export {
  withDurableExecution,
  type DurableExecutionConfig,
  type DurableLambdaHandler,
} from "./engine/with-durable-execution.js";
export { writeDefaultLogLine } from "./context/default-log-line.js";
export {
  attachInvocationEnvironment,
  invocationEnvironmentOf,
  type InvocationEnvironment,
  type DurableLogRecord,
} from "./engine/invocation-environment.js";
// Service side: the checkpoint service core and its stores (memory, embedded file store).
export * from "./service/index.js";
// Orchestration: driving an execution through invocations (local runner, CLI, workers).
export * from "./orchestrator/index.js";
