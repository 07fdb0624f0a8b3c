import { StepError, StepInterruptedError, errorFromObject } from "../errors/durable-errors.js";
import { toErrorObject } from "../errors/error-object.js";
import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type ErrorObject, type OperationUpdate } from "../protocol/wire.js";
import { retryPresets } from "../retry/retry-strategy.js";
import { wholeSeconds } from "../types/duration.js";
import type { DurableLogger } from "../types/logger.js";
import { StepSemantics, type RetryDecision, type StepConfig, type StepContext, type StepFunc } from "../types/step.js";
import { createContextLogger } from "./context-logger.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { describeOperation, deserializePayload, fitsInline, serializePayload } from "./payloads.js";

export async function runStep<T>(ctx: ContextImpl, name: string | undefined, fn: StepFunc<T>, config: StepConfig<T>): Promise<T> {
  const engine = ctx.engine;
  const id = ctx.nextId();
  const what = describeOperation("step", id, name);
  const existing = engine.replayCheck({ id, type: OperationType.STEP, subType: OperationSubType.STEP, name });
  if (engine.ended) return never();
  const serdes = config.serdes ?? engine.defaultSerdes;
  const serdesContext = { entityId: id, durableExecutionArn: engine.executionArn };
  // Replay's common case first, before building anything a first run needs.
  if (existing?.Status === OperationStatus.SUCCEEDED) {
    return deserializePayload(serdes, existing.StepDetails?.Result, serdesContext, what);
  }
  const semantics = config.semantics ?? StepSemantics.AtLeastOncePerRetry;
  const base = { Id: id, ParentId: ctx.operationId, Name: name, Type: OperationType.STEP, SubType: OperationSubType.STEP };
  const update = (action: OperationUpdate["Action"], extra: Partial<OperationUpdate> = {}): OperationUpdate => ({
    ...base,
    Action: action,
    ...extra,
  });

  const fail = async (attempt: number, error: unknown): Promise<T> => {
    let errorObject = toErrorObject(error);
    const decision = decideRetry(config, error, attempt, what);
    if (decision.shouldRetry) {
      let delay: number | undefined;
      try {
        delay = wholeSeconds(decision.delay ?? { seconds: 1 }, `the retry delay chosen by the retry strategy of ${what}`);
      } catch (invalid) {
        // A strategy that asks for an impossible delay fails the step, saying why.
        errorObject = toErrorObject(invalid);
      }
      if (delay !== undefined) {
        await ctx.checkpoint(update(OperationAction.RETRY, { Error: errorObject, StepOptions: { NextAttemptDelaySeconds: delay } }));
        return engine.block();
      }
    }
    await ctx.checkpoint(update(OperationAction.FAIL, { Error: errorObject }));
    throw stepError(errorObject);
  };

  let attempt = 1;
  if (existing) {
    const details = existing.StepDetails;
    switch (existing.Status) {
      case OperationStatus.FAILED:
        throw stepError(details?.Error ?? { ErrorType: "StepError", ErrorMessage: `${what} failed` });
      case OperationStatus.PENDING:
        // A retry is scheduled and not yet due: the orchestrator re-invokes when it is.
        return engine.block();
      case OperationStatus.STARTED:
        attempt = details?.Attempt ?? 1;
        if (semantics === StepSemantics.AtMostOncePerRetry) {
          // The body may have run; never run it again. The interruption is this attempt's failure.
          return fail(attempt, new StepInterruptedError(id, name));
        }
        break;
      default:
        attempt = (details?.Attempt ?? 0) + 1;
    }
  }
  if (ctx.closed) return never();

  const started = ctx.checkpoint(update(OperationAction.START));
  if (semantics === StepSemantics.AtMostOncePerRetry) await started;
  else started.catch(() => undefined); // a failed checkpoint ends the invocation on its own

  let logger: DurableLogger | undefined;
  const stepContext: StepContext = {
    attempt,
    get signal() {
      return ctx.signal;
    },
    get logger() {
      logger ??= createContextLogger(engine, { operationId: id, operationName: name, attempt }, () => false);
      return logger;
    },
  };
  let result: T;
  engine.suspension.bodyStarted();
  try {
    result = await fn(stepContext);
  } catch (error) {
    engine.suspension.bodyEnded();
    if (engine.ended || ctx.closed) return never();
    return fail(attempt, error);
  }
  engine.suspension.bodyEnded();
  if (engine.ended || ctx.closed) return never();

  let payload: string | undefined;
  try {
    payload = await serializePayload(serdes, result, serdesContext, what);
    if (!fitsInline(payload)) {
      throw new RangeError(
        `The result of ${what} is larger than the 256 KiB a checkpoint holds; return a smaller value ` +
          "(e.g. store the data elsewhere and return a reference) or run the work in a child context.",
      );
    }
  } catch (error) {
    // Serializing again would fail the same way: fail the step without retrying.
    const errorObject = toErrorObject(error);
    await ctx.checkpoint(update(OperationAction.FAIL, { Error: errorObject }));
    throw stepError(errorObject);
  }
  await ctx.checkpoint(update(OperationAction.SUCCEED, payload === undefined ? {} : { Payload: payload }));
  // Hand back the checkpointed value, so the first run sees exactly what a replay will see.
  return deserializePayload(serdes, payload, serdesContext, what);
}

function decideRetry<T>(config: StepConfig<T>, error: unknown, attempt: number, what: string): RetryDecision {
  const strategy = config.retryStrategy ?? retryPresets.default;
  const asError = error instanceof Error ? error : new Error(String(error));
  try {
    const decision = strategy(asError, attempt);
    if (!decision || typeof decision.shouldRetry !== "boolean") {
      throw new TypeError(`the retry strategy of ${what} must return { shouldRetry: boolean, delay? }`);
    }
    return decision;
  } catch (strategyError) {
    process.emitWarning(`Retry strategy of ${what} threw; not retrying: ${String(strategyError)}`);
    return { shouldRetry: false };
  }
}

function stepError(errorObject: ErrorObject): StepError {
  return new StepError(errorObject.ErrorMessage ?? "Step failed", errorFromObject(errorObject), errorObject.ErrorData);
}
