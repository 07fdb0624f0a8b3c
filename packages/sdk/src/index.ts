/**
 * `@cairn/sdk`: what a durable handler imports. `withDurableExecution`, the `DurableContext` and
 * its config types, errors, serdes, retry and wait strategies, completion helpers, batch and queue
 * helpers, and the wire types of the checkpoint protocol.
 *
 * Nothing here reaches the checkpoint service, the stores or the orchestrator (each has an entry
 * point of its own: `@cairn/sdk/service`, `@cairn/sdk/orchestrator`), so a bundled handler carries
 * none of them.
 *
 * @packageDocumentation
 */
export * from "./protocol/index.js";
export * from "./types/index.js";
export * from "./errors/index.js";
export {
  defaultSerdes,
  jsonSerdes,
  serializeValue,
  deserializeValue,
  createClassSerdes,
  createClassSerdesWithDates,
  type NoArgumentClass,
  createFileSystemSerdes,
  FileSystemSerdesMode,
  FileSystemPathEncoding,
  type FileSystemSerdesConfig,
  buildPreview,
  FieldMatchMode,
  PreviewMode,
  type PreviewField,
  type PreviewConfig,
} from "./serdes/index.js";
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
export { withRetry, type WithRetryConfig, type RetryableFunc } from "./retry/index.js";
export {
  allSuccessful,
  firstSuccessful,
  allCompleted,
  minSuccessful,
  continueBatch,
  completeBatch,
} from "./context/batch/completion-helpers.js";
export { createBatchResult } from "./context/batch/batch-result.js";
export { defineDistributedMap } from "./context/distributed-map/definitions.js";
export { MemoryProgressBoard } from "./distributed-map/memory-progress-board.js";
export * from "./progress.js";
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
} from "./handler/with-durable-execution.js";
export type { PluginsConfig } from "./handler/plugins-config.js";
export { DurableExecutionInvocationInputWithClient } from "./handler/input-with-client.js";
export { refreshLogConfig } from "./engine/verbose-log.js";
