import { StepError, StepInterruptedError, errorFromObject } from "../errors/durable-errors.js";
import { toErrorObject } from "../errors/error-object.js";
import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type ErrorObject, type OperationUpdate } from "../protocol/wire.js";
import { retryPresets } from "../retry/retry-strategy.js";
import { wholeSeconds } from "../types/duration.js";
import type { DurableLogger } from "../types/logger.js";
import type { SerdesContext } from "../types/serdes.js";
import { StepSemantics, type RetryDecision, type StepConfig, type StepContext, type StepFunc } from "../types/step.js";
import { createContextLogger } from "./context-logger.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { describeOperation, deserializePayload, fitsInline, serializePayload } from "./payloads.js";

export async function runStep<T>(ctx: ContextImpl, name: string | undefined, fn: StepFunc<T>, config: StepConfig<T>): Promise<T> {
  const engine = ctx.engine;
  const id = ctx.nextId();
  const existing = engine.replayCheck({ id, type: OperationType.STEP, subType: OperationSubType.STEP, name });
  if (engine.ended) return never();
  const step = new StepRun(ctx, id, name, config);
  // Replay's common case first, before anything a first run needs.
  if (existing?.Status === OperationStatus.SUCCEEDED) return step.decode(existing.StepDetails?.Result);

  let attempt = 1;
  if (existing) {
    const details = existing.StepDetails;
    switch (existing.Status) {
      case OperationStatus.FAILED:
        throw stepError(details?.Error ?? { ErrorType: "StepError", ErrorMessage: `${step.what} failed` });
      case OperationStatus.PENDING:
        // A retry is scheduled and not yet due: the orchestrator re-invokes when it is.
        return engine.block();
      case OperationStatus.STARTED:
        attempt = details?.Attempt ?? 1;
        if (step.semantics === StepSemantics.AtMostOncePerRetry) {
          // The body may have run; never run it again. The interruption is this attempt's failure.
          return step.fail(attempt, new StepInterruptedError(id, name));
        }
        break;
      default:
        attempt = (details?.Attempt ?? 0) + 1;
    }
  }
  if (ctx.closed) return never();

  const started = ctx.checkpoint(step.update(OperationAction.START));
  if (step.semantics === StepSemantics.AtMostOncePerRetry) await started;
  else started.catch(() => undefined); // a failed checkpoint ends the invocation on its own

  let result: T;
  engine.suspension.bodyStarted();
  try {
    result = await fn(new StepContextImpl(step, attempt));
  } catch (error) {
    engine.suspension.bodyEnded();
    if (engine.ended || ctx.closed) return never();
    return step.fail(attempt, error);
  }
  engine.suspension.bodyEnded();
  if (engine.ended || ctx.closed) return never();

  let payload: string | undefined;
  try {
    payload = await serializePayload(step.serdes, result, step.serdesContext, step.what);
    if (!fitsInline(payload)) {
      throw new RangeError(
        `The result of ${step.what} is larger than the 256 KiB a checkpoint holds; return a smaller value ` +
          "(e.g. store the data elsewhere and return a reference) or run the work in a child context.",
      );
    }
  } catch (error) {
    // Serializing again would fail the same way: fail the step without retrying.
    const errorObject = toErrorObject(error);
    await ctx.checkpoint(step.update(OperationAction.FAIL, { Error: errorObject }));
    throw stepError(errorObject);
  }
  await ctx.checkpoint(step.update(OperationAction.SUCCEED, payload === undefined ? undefined : { Payload: payload }));
  // Hand back the checkpointed value, so the first run sees exactly what a replay will see.
  return step.decode(payload);
}

/** One call of ctx.step: what its updates, errors and (de)serialization need, without closures. */
class StepRun<T> {
  readonly serdesContext: SerdesContext;

  constructor(
    readonly ctx: ContextImpl,
    readonly id: string,
    readonly name: string | undefined,
    readonly config: StepConfig<T>,
  ) {
    this.serdesContext = { entityId: id, durableExecutionArn: ctx.engine.executionArn };
  }

  get what(): string {
    return describeOperation("step", this.id, this.name);
  }

  get serdes() {
    return this.config.serdes ?? this.ctx.engine.defaultSerdes;
  }

  get semantics(): StepSemantics {
    return this.config.semantics ?? StepSemantics.AtLeastOncePerRetry;
  }

  decode(payload: string | undefined): T | Promise<T> {
    return deserializePayload(this.serdes, payload, this.serdesContext, this.what);
  }

  update(action: OperationUpdate["Action"], extra?: Partial<OperationUpdate>): OperationUpdate {
    const update: OperationUpdate = {
      Id: this.id,
      ParentId: this.ctx.operationId,
      Name: this.name,
      Type: OperationType.STEP,
      SubType: OperationSubType.STEP,
      Action: action,
    };
    return extra ? Object.assign(update, extra) : update;
  }

  /** A failed attempt: retry as the strategy decides, or fail the step for good. */
  async fail(attempt: number, error: unknown): Promise<T> {
    let errorObject = toErrorObject(error);
    const decision = decideRetry(this.config, error, attempt, this.what);
    if (decision.shouldRetry) {
      let delay: number | undefined;
      try {
        delay = wholeSeconds(decision.delay ?? { seconds: 1 }, `the retry delay chosen by the retry strategy of ${this.what}`);
      } catch (invalid) {
        // A strategy that asks for an impossible delay fails the step, saying why.
        errorObject = toErrorObject(invalid);
      }
      if (delay !== undefined) {
        await this.ctx.checkpoint(this.update(OperationAction.RETRY, { Error: errorObject, StepOptions: { NextAttemptDelaySeconds: delay } }));
        return this.ctx.engine.block();
      }
    }
    await this.ctx.checkpoint(this.update(OperationAction.FAIL, { Error: errorObject }));
    throw stepError(errorObject);
  }
}

/** What a step body receives; its logger and signal are created only if the body reads them. */
class StepContextImpl<T> implements StepContext {
  #logger: DurableLogger | undefined;

  constructor(
    private readonly step: StepRun<T>,
    readonly attempt: number,
  ) {}

  get signal(): AbortSignal {
    return this.step.ctx.signal;
  }

  get logger(): DurableLogger {
    const { ctx, id, name } = this.step;
    this.#logger ??= createContextLogger(ctx.engine, { operationId: id, operationName: name, attempt: this.attempt }, () => false);
    return this.#logger;
  }
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
