import { ValidationError } from "../errors/validation-error.js";
import { CallbackError, CallbackExternalError, CallbackTimeoutError } from "../errors/durable-errors.js";
import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type CallbackOptions, type ErrorObject } from "../protocol/wire.js";
import type { CallbackDeserializer, CreateCallbackConfig, CreateCallbackResult } from "../types/callback.js";
import { wholeSeconds, type Duration } from "../types/duration.js";
import { DurablePromise } from "../types/durable-promise.js";
import { deserializeCallbackPayload } from "../serdes/callback-payload.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { isTerminalStatus, operationEnded, operationReplayed, operationStarted } from "./operation-hooks.js";
import { describeOperation, quotedName } from "./payloads.js";
import { customSubType } from "./sub-type.js";

/** Validated timeouts of a callback, as the wire carries them. */
export function callbackOptions(
  what: string,
  config: { timeout?: Duration | undefined; heartbeatTimeout?: Duration | undefined },
): CallbackOptions {
  const options: CallbackOptions = {};
  if (config.timeout !== undefined) options.TimeoutSeconds = wholeSeconds(config.timeout, `${what} timeout`);
  if (config.heartbeatTimeout !== undefined) {
    options.HeartbeatTimeoutSeconds = wholeSeconds(config.heartbeatTimeout, `${what} heartbeatTimeout`);
  }
  return options;
}

export function checkDeserializer(what: string, serdes: unknown): void {
  if (serdes === undefined) return;
  if (typeof serdes !== "object" || serdes === null || typeof (serdes as { deserialize?: unknown }).deserialize !== "function") {
    throw new ValidationError(`${what}: serdes must be an object with a deserialize(data, context) function.`);
  }
}

export async function runCreateCallback<T>(
  ctx: ContextImpl,
  name: string | undefined,
  config: CreateCallbackConfig<T>,
): Promise<CreateCallbackResult<T>> {
  const engine = ctx.engine;
  const label = `createCallback${quotedName(name)}`;
  // Validate before the id is taken and before anything is written.
  const options = callbackOptions(label, config);
  checkDeserializer(label, config.serdes);
  const subType = customSubType(label, config.subType) ?? OperationSubType.CALLBACK;
  const id = ctx.nextId();
  const what = describeOperation("callback", id, name);
  const existing = engine.replayCheck({ id, type: OperationType.CALLBACK, subType, name });
  if (engine.ended) return never();
  const identity = { id, name, type: OperationType.CALLBACK, subType, parentId: ctx.operationId };
  // A callback ends outside any invocation; its end is reported by the first invocation that
  // finds it completed (operationReplayed), like a wait's.
  if (engine.plugins && existing) await operationReplayed(engine, identity, existing);
  if (!existing) {
    if (ctx.closed) return never();
    await ctx.checkpoint({
      Id: id,
      ParentId: ctx.operationId,
      Name: name,
      Type: OperationType.CALLBACK,
      SubType: subType,
      Action: OperationAction.START,
      ...(options.TimeoutSeconds || options.HeartbeatTimeoutSeconds ? { CallbackOptions: options } : {}),
    });
    // After the START is stored, so the info carries the status the service acknowledged.
    if (engine.plugins) await operationStarted(engine, identity);
  }
  // The service assigns the id; the acknowledgement of the START brought it into the engine.
  const callbackId = engine.operations.get(id)?.CallbackDetails?.CallbackId;
  if (callbackId === undefined) {
    throw new CallbackError(`${what}: the checkpoint service returned no callback id for it.`);
  }
  const deserializer = (config.serdes ?? engine.defaultCallbackDeserializer) as CallbackDeserializer<T>;
  const serdesContext = { entityId: id, durableExecutionArn: engine.executionArn };
  // An end found at replay was reported by operationReplayed; one that comes later is reported here.
  let endToReport = engine.plugins !== undefined && !isTerminalStatus(existing?.Status);
  const settle = async (): Promise<T> => {
    if (engine.ended || ctx.closed) return never();
    const op = engine.operations.get(id);
    if (endToReport && isTerminalStatus(op?.Status)) {
      endToReport = false;
      await operationEnded(engine, identity);
    }
    switch (op?.Status) {
      case OperationStatus.SUCCEEDED:
        return deserializeCallbackPayload(deserializer, op.CallbackDetails?.Result, serdesContext, what);
      case OperationStatus.FAILED:
        throw externalError(op.CallbackDetails?.Error);
      case OperationStatus.TIMED_OUT:
        throw timeoutError(op.CallbackDetails?.Error);
      default:
        // Only an external system (or the callback's timeout) completes it. The service reports
        // it to this invocation if a step body keeps it alive; otherwise the invocation suspends.
        await engine.block(id);
        return settle();
    }
  };
  const result = new LazyDurablePromise<T>(settle);
  return [result, callbackId];
}

// As the AWS SDK builds them, so a ported test that compares the error whole passes: the message
// as the service recorded it (else the class's default), and a cause that is the error as sent.
function externalError(error: ErrorObject | undefined): CallbackExternalError {
  if (error === undefined) return new CallbackExternalError();
  return new CallbackExternalError(error.ErrorMessage, sentError(error), error.ErrorData);
}

function timeoutError(error: ErrorObject | undefined): CallbackTimeoutError {
  if (error === undefined) return new CallbackTimeoutError();
  return new CallbackTimeoutError(error.ErrorMessage, sentError(error), error.ErrorData);
}

/** The error an external system sent (or the service recorded): its stack is the frames it sent. */
function sentError(error: ErrorObject): Error {
  const cause = new Error(error.ErrorMessage);
  cause.name = error.ErrorType || "Error";
  // Assigned even when undefined: this process's stack says nothing about the sender.
  cause.stack = error.StackTrace?.join("\n");
  return cause;
}

/**
 * A DurablePromise whose work starts only when someone awaits it: a callback blocks the execution
 * only once the handler waits for its result, so work between creating and awaiting still runs.
 */
class LazyDurablePromise<T> extends DurablePromise<T> {
  readonly #start: () => void;

  constructor(run: () => Promise<T>) {
    let start!: () => void;
    const gate = new Promise<void>((resolve) => (start = resolve));
    super(gate.then(run));
    this.#start = start;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#start();
    return super.then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    this.#start();
    return super.catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    this.#start();
    return super.finally(onfinally);
  }
}
