export * from "./validation-error.js";
export * from "./durable-errors.js";
export * from "./engine-errors.js";
export { BatchItemTimeoutError } from "./batch-item-timeout-error.js";
export { ContextUsageError } from "./context-usage-error.js";
export { PluginLoadError } from "./plugin-load-error.js";
export { toErrorObject } from "./error-object.js";
export {
  DurableExecutionClientError,
  DurableExecutionClientErrorScope,
  isDurableExecutionClientError,
  type DurableExecutionClientErrorOptions,
} from "./durable-execution-client-error.js";
