import { invocationEnvironmentOf } from "@cairn/sdk/backend";
import {
  withDurableExecution as withCairnDurableExecution,
  type DurableExecutionConfig,
  type DurableExecutionHandler,
  type DurableExecutionInvocationInput,
  type DurableLambdaHandler,
} from "@cairn/sdk";
import { LambdaCheckpointBackend, type LambdaCheckpointBackendOptions } from "./lambda-checkpoint-backend.js";
import { decodeName } from "./wire-names.js";

export interface LambdaDurableExecutionConfig extends DurableExecutionConfig, LambdaCheckpointBackendOptions {}

/**
 * `withDurableExecution` for AWS Lambda durable functions: the same as `@cairn/sdk`'s, with the
 * Lambda service as the default checkpoint backend. Deploy the returned function as the Lambda
 * handler. When an in-process orchestrator (the local runner, the CLI, a DynamoDB worker) invokes
 * it, the backend that orchestrator supplies is used instead, so one handler runs everywhere.
 */
export function withDurableExecution<TEvent = unknown, TResult = unknown>(
  handler: DurableExecutionHandler<TEvent, TResult>,
  config: LambdaDurableExecutionConfig = {},
): DurableLambdaHandler {
  const { client, retry, ...cairnConfig } = config;
  const backend =
    config.backend ?? config.durableExecutionClient ?? new LambdaCheckpointBackend({ ...(client ? { client } : {}), ...(retry ? { retry } : {}) });
  const durable = withCairnDurableExecution(handler, { ...cairnConfig, backend });
  return (input, lambdaContext) =>
    durable(invocationEnvironmentOf(input) ? input : decodeInvocationInput(input), lambdaContext);
}

/**
 * The invocation input as the Lambda service sends it, with operation names mapped back to the
 * ones the handler used (see LambdaCheckpointBackend). Returns the input itself when no name needs it.
 */
export function decodeInvocationInput(input: DurableExecutionInvocationInput): DurableExecutionInvocationInput {
  const operations = input?.InitialExecutionState?.Operations;
  if (!Array.isArray(operations) || !operations.some((op) => typeof op.Name === "string" && op.Name.includes("%"))) return input;
  return {
    ...input,
    InitialExecutionState: {
      ...input.InitialExecutionState,
      Operations: operations.map((op) => (typeof op.Name === "string" && op.Name.includes("%") ? { ...op, Name: decodeName(op.Name) } : op)),
    },
  };
}
