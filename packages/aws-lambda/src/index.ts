// Public API of @cairn/aws-lambda.
export { withDurableExecution, decodeInvocationInput, type LambdaDurableExecutionConfig } from "./with-durable-execution.js";
export {
  LambdaCheckpointBackend,
  type LambdaCheckpointBackendOptions,
  type LambdaRetryOptions,
} from "./lambda-checkpoint-backend.js";
export { sendCallbackSuccess, sendCallbackFailure, sendCallbackHeartbeat, type CallbackClientOptions } from "./callbacks.js";
export { classifyLambdaError, isStaleTokenError, type FailureKind } from "./error-classification.js";
export { chunkUpdates, MAX_UPDATES_PER_CALL, MAX_BYTES_PER_CALL } from "./checkpoint-chunks.js";
export { encodeName, decodeName, MAX_WIRE_NAME_LENGTH } from "./wire-names.js";
export {
  startLocalLambdaEndpoint,
  type LocalLambdaEndpoint,
  type LocalLambdaEndpointOptions,
  type InjectedFailure,
} from "./local-endpoint.js";
