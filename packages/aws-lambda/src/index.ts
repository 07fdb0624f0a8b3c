/**
 * `@cairn/aws-lambda`: run Cairn durable handlers as AWS Lambda durable functions. The handler
 * wrapper checkpoints through the Lambda durable-execution API, and the callback helpers answer a
 * waiting callback from another service.
 *
 * The local HTTP emulation of that API (for tests) is a separate entry,
 * `@cairn/aws-lambda/local`, so a deployed function's bundle never carries it.
 *
 * @packageDocumentation
 */
export { withDurableExecution, type LambdaDurableExecutionConfig } from "./with-durable-execution.js";
export {
  LambdaCheckpointBackend,
  type LambdaCheckpointBackendOptions,
  type LambdaRetryOptions,
} from "./lambda-checkpoint-backend.js";
export { DurableExecutionApiClient } from "./durable-execution-api-client.js";
export { sendCallbackSuccess, sendCallbackFailure, sendCallbackHeartbeat, type CallbackClientOptions } from "./callbacks.js";
