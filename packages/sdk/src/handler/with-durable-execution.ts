import { ContextImpl } from "../context/durable-context-impl.js";
import { LazyAbort } from "../context/lazy-abort.js";
import { runInScope } from "../context/active-scope.js";
import { SerdesError } from "../errors/engine-errors.js";
import { toErrorObject } from "../errors/error-object.js";
import { ValidationError } from "../errors/validation-error.js";
import { shownValue } from "../errors/shown-value.js";
import type { CheckpointBackend } from "../protocol/backend.js";
import { checkBackend } from "./check-backend.js";
import { DurableExecutionInvocationInputWithClient } from "./input-with-client.js";
import {
  InvocationStatus,
  type DurableExecutionInvocationInput,
  type DurableExecutionInvocationOutput,
} from "../protocol/invocation.js";
import type { DurableContext, DurableExecutionHandler, LambdaContextLike } from "../types/context.js";
import { invocationEnvironmentOf } from "../engine/invocation-environment.js";
import { InvocationEngine, type Termination } from "../engine/invocation-engine.js";
import { runWithPlugins } from "../engine/invocation-hooks.js";
import { PluginSource } from "../engine/plugin-source.js";
import type { DurableInstrumentationPluginEntry } from "../types/plugin.js";
import { MAX_EXECUTION_RESULT_BYTES } from "../protocol/limits.js";
import { EXECUTION_OPERATION_ID, OperationAction, OperationType, type OperationUpdate } from "../protocol/wire.js";
import { failsExecution } from "../errors/durable-execution-client-error.js";
import { installTimeBudget, validYieldMargin } from "../engine/time-budget.js";
import { markDurableHandler } from "./durable-handler-mark.js";
import { isPartitionInput, PARTITION_INPUT_KEY } from "../context/distributed-map/partition-input.js";
import { runPartition } from "../context/distributed-map/partition-worker.js";
import { verboseLog } from "../engine/verbose-log.js";
import { pluginsConfigProblem, type PluginsConfig } from "./plugins-config.js";

/** Options of {@link withDurableExecution}; every field is optional. */
export interface DurableExecutionConfig {
  /** Where checkpoints go when the orchestrator does not supply a backend with the invocation. */
  backend?: CheckpointBackend;
  /**
   * Same as `backend`; the name used by the AWS SDK, whose `DurableExecutionClient` has this shape.
   * It may throw a `DurableExecutionClientError`: scope EXECUTION fails the execution, INVOCATION
   * (the default, and any other error) ends only this invocation so the execution carries on.
   */
  durableExecutionClient?: CheckpointBackend;
  /** Bounds of one checkpoint call: a larger batch of updates is sent as several calls. */
  checkpointBatch?: {
    /** Most updates in one checkpoint call: a positive whole number (default 250). */
    maxUpdates?: number;
    /** Most bytes of serialized updates in one checkpoint call: a positive whole number (default 750 KiB). */
    maxBytes?: number;
  };
  /**
   * Instrumentation plugins (tracing, metrics, log enrichment), called in order at invocation,
   * operation and attempt boundaries. A plugin's errors never affect the execution. Entries are
   * plugin objects, factories `{ createPlugin(info) }` (one plugin per invocation) or 2.4-style
   * providers; modules listed in `DURABLE_EXECUTION_PLUGINS` are added after them.
   */
  plugins?: DurableInstrumentationPluginEntry[];
  /** Settings for the plugins (see {@link PluginsConfig}); a wrong value fails the execution when it is invoked. */
  pluginsConfig?: PluginsConfig;
  /**
   * Yield before the timeout: once the invocation has less than this many milliseconds left
   * (`getRemainingTimeInMillis`), no new step, map/parallel item, waitForCondition check or
   * invoke starts; running steps finish, checkpoints are flushed and the invocation ends
   * PENDING so the next one carries on. Default 10 000, never more than a quarter of the
   * invocation's time; 0 turns it off.
   */
  yieldMarginMs?: number;
}

/** The Lambda-style entry point a durable handler becomes. */
export type DurableLambdaHandler = (
  input: DurableExecutionInvocationInput,
  lambdaContext?: LambdaContextLike,
) => Promise<DurableExecutionInvocationOutput>;

/**
 * Wraps a durable handler as a Lambda-style handler. Each call is one invocation: it replays the
 * checkpointed operations, runs until the handler settles (SUCCEEDED / FAILED) or is blocked only
 * on time or external events (PENDING), and rejects only when the invocation itself could not
 * finish (e.g. a newer invocation took over the execution).
 *
 * @example
 * ```ts
 * import { withDurableExecution } from "@cairn/sdk";
 *
 * export const handler = withDurableExecution(async (event: { orderId: string }, ctx) => {
 *   const order = await ctx.step("load-order", async () => loadOrder(event.orderId));
 *   await ctx.wait("cooling-off", { minutes: 10 }); // suspends; nothing runs meanwhile
 *   return ctx.step("confirm", async () => confirm(order));
 * });
 * ```
 */
export function withDurableExecution<TEvent = unknown, TResult = unknown>(
  handler: DurableExecutionHandler<TEvent, TResult>,
  config: DurableExecutionConfig = {},
): DurableLambdaHandler {
  if (typeof handler !== "function") {
    throw new ValidationError("withDurableExecution: pass the handler function, e.g. withDurableExecution(async (event, ctx) => ...).");
  }
  checkBackend(config.backend, "backend");
  checkBackend(config.durableExecutionClient, "durableExecutionClient");
  const pluginSource = PluginSource.of(config.plugins);
  const yieldMarginMs = validYieldMargin(config.yieldMarginMs);
  const maxUpdatesPerCheckpoint = positiveWholeNumber("checkpointBatch.maxUpdates", config.checkpointBatch?.maxUpdates);
  const maxBytesPerCheckpoint = positiveWholeNumber("checkpointBatch.maxBytes", config.checkpointBatch?.maxBytes);
  return markDurableHandler(async (input: DurableExecutionInvocationInput, lambdaContext: LambdaContextLike = {}) => {
    checkInput(input);
    const environment = invocationEnvironmentOf(input);
    const backend = environment?.backend ?? injectedBackendOf(input) ?? config.backend ?? config.durableExecutionClient;
    if (!backend) {
      throw new ValidationError(
        "No checkpoint backend for this invocation: run the handler with the local runner (@cairn/testing), " +
          "the cairn CLI, or pass { backend } to withDurableExecution.",
      );
    }
    // Checked per invocation, as on AWS: a ported test expects a FAILED execution, not a throw at import.
    const configProblem = pluginsConfigProblem(config.pluginsConfig);
    if (configProblem !== undefined) return { Status: InvocationStatus.FAILED, Error: { ErrorType: "Error", ErrorMessage: configProblem } };
    let plugins: Awaited<ReturnType<PluginSource["forInvocation"]>>;
    try {
      plugins = await pluginSource?.forInvocation();
    } catch (error) {
      // A plugin module that cannot be loaded is a configuration error: retrying cannot fix it.
      return { Status: InvocationStatus.FAILED, Error: toErrorObject(error) };
    }
    let engine: InvocationEngine;
    try {
      engine = await InvocationEngine.create(input, {
        backend,
        logSink: environment?.logSink,
        maxUpdatesPerCheckpoint,
        maxBytesPerCheckpoint,
        plugins,
        clock: environment?.clock,
        onReplayOperation: environment?.onReplayOperation,
        onReplayMismatch: environment?.onReplayMismatch,
      });
    } catch (error) {
      // The backend said the execution cannot go on (e.g. it no longer exists): report it failed.
      if (failsExecution(error)) return { Status: InvocationStatus.FAILED, Error: toErrorObject(error) };
      throw error;
    }
    installTimeBudget(engine, lambdaContext, yieldMarginMs, environment);
    if (typeof lambdaContext.awsRequestId === "string") engine.requestId = lambdaContext.awsRequestId;
    const root = new ContextImpl(engine, undefined, lambdaContext, new LazyAbort(), undefined);
    const event = readEvent(engine.executionOperation?.ExecutionDetails?.InputPayload);

    verboseLog("invocation began", () => ({
      executionArn: input.DurableExecutionArn,
      checkpointedOperations: engine.operations.size,
      updatedOperationIds: input.UpdatedOperationIds ?? [],
    }));
    const run = () => runHandler(engine, root, event as TEvent);
    const output = await (plugins ? runWithPlugins(plugins, engine, event, run) : run());
    verboseLog("invocation ended", () => ({
      executionArn: input.DurableExecutionArn,
      status: output.Status,
      ...(output.Status === InvocationStatus.FAILED ? { error: `${output.Error?.ErrorType ?? "Error"}: ${output.Error?.ErrorMessage ?? ""}` } : {}),
    }));
    return output;
  });

  async function runHandler(engine: InvocationEngine, root: ContextImpl, event: TEvent): Promise<DurableExecutionInvocationOutput> {
    const settled = (async (): Promise<DurableExecutionInvocationOutput> => {
      try {
        // The handler runs in its root context's scope, so using a child context there is caught.
        // A distributed map's child execution runs the map's partition worker, not the handler.
        const body = isPartitionInput(event)
          ? (context: DurableContext): Promise<unknown> => runPartition(event[PARTITION_INPUT_KEY], context)
          : (context: DurableContext): Promise<unknown> => handler(event, context);
        const result = await runInScope(root, body, root);
        const encoded = encodeResult(result);
        if (encoded.Result !== undefined && Buffer.byteLength(encoded.Result, "utf8") > MAX_EXECUTION_RESULT_BYTES) {
          // Too large for the invocation response: checkpoint it as the execution's result.
          await engine.checkpoint(executionResultUpdate(engine, encoded.Result));
          return { Status: InvocationStatus.SUCCEEDED };
        }
        return { Status: InvocationStatus.SUCCEEDED, ...encoded };
      } catch (error) {
        return { Status: InvocationStatus.FAILED, Error: toErrorObject(error) };
      }
    })();
    const outcome = await Promise.race([settled, engine.terminated]);
    if ("kind" in outcome) return fromTermination(outcome);
    // The handler settled: its last checkpoints must be stored before the outcome is reported.
    try {
      await Promise.race([engine.batcher.drain(), engine.terminated.then((t) => Promise.reject(t))]);
    } catch {
      const termination = await engine.terminated;
      return fromTermination(termination);
    }
    // A misused context failed the execution while the handler was settling: that failure wins.
    if (engine.failing) return fromTermination(await engine.terminated);
    const unawaited = outcome.Status === InvocationStatus.SUCCEEDED ? root.unawaited?.warning() : undefined;
    if (unawaited !== undefined) root.logger.warn(unawaited);
    engine.finish();
    return outcome;
  }
}

/**
 * Checks a checkpoint batch bound when the handler is wrapped: 0 or less would send every update
 * in a call of its own, NaN would lift the bound altogether.
 */
function positiveWholeNumber(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ValidationError(`withDurableExecution: ${field} must be a positive whole number, got ${shownValue(value)}.`);
  }
  return value;
}

function fromTermination(termination: Termination): DurableExecutionInvocationOutput {
  switch (termination.kind) {
    case "suspended":
      return { Status: InvocationStatus.PENDING };
    case "failed":
      return { Status: InvocationStatus.FAILED, Error: toErrorObject(termination.error) };
    case "infrastructure":
      throw termination.error;
  }
}

function encodeResult(result: unknown): { Result?: string } {
  if (result === undefined) return {};
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch (error) {
    throw new SerdesError(
      `The handler's result cannot be encoded as JSON (${(error as Error).message}); return JSON-compatible data.`,
      error,
    );
  }
  if (text === undefined) return {};
  return { Result: text };
}

function executionResultUpdate(engine: InvocationEngine, result: string): OperationUpdate {
  return {
    Id: engine.executionOperation?.Id ?? EXECUTION_OPERATION_ID,
    Type: OperationType.EXECUTION,
    Action: OperationAction.SUCCEED,
    Payload: result,
  };
}

function readEvent(payload: string | undefined): unknown {
  if (payload === undefined || payload === "") return undefined;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/** The backend an input brings with it (see DurableExecutionInvocationInputWithClient), checked. */
function injectedBackendOf(input: DurableExecutionInvocationInput): CheckpointBackend | undefined {
  if (!DurableExecutionInvocationInputWithClient.isInstance(input)) return undefined;
  checkBackend(input.durableExecutionClient, "durableExecutionClient");
  return input.durableExecutionClient;
}

function checkInput(input: DurableExecutionInvocationInput): void {
  if (
    !input ||
    typeof input !== "object" ||
    typeof input.DurableExecutionArn !== "string" ||
    typeof input.CheckpointToken !== "string" ||
    !input.InitialExecutionState
  ) {
    throw new ValidationError(
      "This handler expects a durable execution invocation ({ DurableExecutionArn, CheckpointToken, InitialExecutionState }), " +
        "not a plain event. Start it through the local runner, the cairn CLI, or a durable-enabled Lambda function.",
    );
  }
}
