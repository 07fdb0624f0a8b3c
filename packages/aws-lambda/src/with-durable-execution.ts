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

/**
 * Every `withDurableExecution` option of `@cairn/sdk` (`yieldMarginMs`, `logger`, `plugins`,
 * `backend`, …), plus the Lambda backend's `client` and `retry`. `client` and `retry` configure
 * the default {@link LambdaCheckpointBackend}; they are ignored when `backend` (or
 * `durableExecutionClient`) is given.
 */
export interface LambdaDurableExecutionConfig extends DurableExecutionConfig, LambdaCheckpointBackendOptions {}

/**
 * `withDurableExecution` for AWS Lambda durable functions: the same as `@cairn/sdk`'s, with the
 * Lambda service as the default checkpoint backend. Deploy the returned function as the Lambda
 * handler. When an in-process orchestrator (the local runner, the CLI, a DynamoDB worker) invokes
 * it, the backend that orchestrator supplies is used instead, so one handler runs everywhere.
 *
 * The backend, for each invocation: the orchestrator's, else `config.backend` (or
 * `durableExecutionClient`), else a {@link LambdaCheckpointBackend} with `config.client` and
 * `config.retry`. Nothing is created at import time: the default `LambdaClient` is made on the
 * first checkpoint and reused by later invocations of a warm function.
 *
 * @param handler - the durable handler: `(event, ctx) => result`, with `ctx` the `DurableContext`.
 * @param config - see {@link LambdaDurableExecutionConfig}.
 * @returns the Lambda handler to deploy; it takes the service's invocation input and returns
 *   its invocation output.
 * @throws RangeError when a `retry` setting is out of range (checked here, at wrap time, unless
 *   `backend` is given).
 *
 * @example
 * ```ts
 * // handler.ts — deploy `handler` (published as a version or alias)
 * import { withDurableExecution } from "@cairn/aws-lambda";
 *
 * export const handler = withDurableExecution(async (event: { orderId: string }, ctx) => {
 *   const order = await ctx.step("load-order", async () => loadOrder(event.orderId));
 *   await ctx.wait("cool-off", { minutes: 5 });
 *   return ctx.step("confirm", async () => confirm(order));
 * }, { yieldMarginMs: 30_000 });
 * ```
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
