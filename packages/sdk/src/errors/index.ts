// The error classes a handler can meet: operation failures, engine stops, bad input.
export { ValidationError } from "./validation-error.js";
export {
  DurableOperationError,
  StepError,
  ChildContextError,
  InvokeError,
  WaitForConditionError,
  PromiseCombinatorError,
  BatchCompletionError,
  CallbackError,
  CallbackExternalError,
  CallbackTimeoutError,
  CallbackSubmitterError,
  StepInterruptedError,
} from "./durable-errors.js";
export { NonDeterministicExecutionError, SerdesError, CheckpointFailedError } from "./engine-errors.js";
export { BatchItemTimeoutError } from "./batch-item-timeout-error.js";
export { ContextUsageError } from "./context-usage-error.js";
export { PluginLoadError } from "./plugin-load-error.js";
export {
  DurableExecutionClientError,
  DurableExecutionClientErrorScope,
  isDurableExecutionClientError,
  type DurableExecutionClientErrorOptions,
} from "./durable-execution-client-error.js";
