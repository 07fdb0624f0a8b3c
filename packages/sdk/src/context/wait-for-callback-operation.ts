import { CallbackError, CallbackSubmitterError } from "../errors/durable-errors.js";
import { ValidationError } from "../errors/validation-error.js";
import { never } from "../engine/invocation-engine.js";
import { OperationSubType, OperationType } from "../protocol/wire.js";
import type { CallbackDeserializer, WaitForCallbackConfig, WaitForCallbackSubmitterFunc } from "../types/callback.js";
import type { Serdes } from "../types/serdes.js";
import { callbackOptions, checkDeserializer } from "./callback-operation.js";
import { deserializeCallbackPayload, rawCallbackDeserializer } from "../serdes/callback-payload.js";
import { executeChild } from "./child-context-operation.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { describeOperation, quotedName } from "./payloads.js";

/** The context stores the payload exactly as sent; the handler's deserializer runs after, every time. */
const rawPayload: Serdes<string | undefined> = {
  serialize: async (value) => value,
  deserialize: async (data) => data,
};

/**
 * A WaitForCallback context holding the callback (operation 1) and the submitter step (2). The
 * submitter runs before the result is awaited; if it fails for good the operation fails at once
 * with a CallbackSubmitterError rather than waiting for a callback nobody was told about.
 */
export async function runWaitForCallback<T>(
  ctx: ContextImpl,
  name: string | undefined,
  submitter: WaitForCallbackSubmitterFunc,
  config: WaitForCallbackConfig<T>,
): Promise<T> {
  const engine = ctx.engine;
  const label = `waitForCallback${quotedName(name)}`;
  if (typeof submitter !== "function") {
    throw new ValidationError(`${label}: the submitter function is missing; pass waitForCallback(name, async (callbackId) => ...).`);
  }
  const options = callbackOptions(label, config);
  checkDeserializer(label, config.serdes);
  if (config.retryStrategy !== undefined && typeof config.retryStrategy !== "function") {
    throw new ValidationError(`${label}: retryStrategy must be a function (error, attempt) => RetryDecision.`);
  }
  const id = ctx.nextId();
  const what = describeOperation("waitForCallback", id, name);
  const existing = engine.replayCheck({ id, type: OperationType.CONTEXT, subType: OperationSubType.WAIT_FOR_CALLBACK, name });
  if (engine.ended) return never();

  const outcome = await executeChild<string | undefined>({
    owner: ctx,
    id,
    name,
    subType: OperationSubType.WAIT_FOR_CALLBACK,
    serdes: rawPayload,
    abort: ctx.abort,
    existing,
    fn: async (child) => {
      const [result, callbackId] = await child.createCallback<string | undefined>(undefined, {
        ...(options.TimeoutSeconds !== undefined ? { timeout: { seconds: options.TimeoutSeconds } } : {}),
        ...(options.HeartbeatTimeoutSeconds !== undefined ? { heartbeatTimeout: { seconds: options.HeartbeatTimeoutSeconds } } : {}),
        serdes: rawCallbackDeserializer,
      });
      try {
        await child.step(undefined, (stepContext) => submitter(callbackId, stepContext), {
          ...(config.retryStrategy ? { retryStrategy: config.retryStrategy } : {}),
        });
      } catch (error) {
        throw new CallbackSubmitterError(
          `The submitter of ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
          error instanceof Error ? error : undefined,
        );
      }
      return result;
    },
  });
  if (outcome.status === "FAILED") {
    // The context's error is the CallbackError raised inside it, rebuilt from the checkpoint.
    const inner = outcome.error.cause;
    throw inner instanceof CallbackError ? inner : new CallbackError(outcome.error.message, outcome.error);
  }
  const deserializer = (config.serdes ?? engine.defaultCallbackDeserializer) as CallbackDeserializer<T>;
  return deserializeCallbackPayload(deserializer, outcome.value, { entityId: id, durableExecutionArn: engine.executionArn }, what);
}
