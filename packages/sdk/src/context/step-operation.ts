import { DurableOperationError, StepError, StepInterruptedError, errorFromObject, isDurableErrorType } from "../errors/durable-errors.js";
import type { CheckpointedOperation } from "../engine/checkpointed-operations.js";
import { toErrorObject } from "../errors/error-object.js";
import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type ErrorObject } from "../protocol/wire.js";
import { checkRetryStrategyOption } from "../retry/check-retry-strategy.js";
import { shownValue } from "../errors/shown-value.js";
import { ValidationError } from "../errors/validation-error.js";
import { retryPresets } from "../retry/retry-strategy.js";
import { wholeSeconds } from "../types/duration.js";
import type { DurableContextLogger } from "../types/logger.js";
import { StepSemantics, type RetryDecision, type RetryStrategy, type StepConfig, type StepContext, type StepFunc } from "../types/step.js";
import { createContextLogger } from "./context-logger.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { runInScope } from "./active-scope.js";
import { attemptStarted, operationReplayed, operationStarted, wrapAttempt } from "./operation-hooks.js";
import { describeOperation, deserializeAt, fitsInline, quotedName, serializeAt } from "./payloads.js";
import { StepOperationRun } from "./step-operation-run.js";
import { customSubType } from "./sub-type.js";
import { Answered } from "./answered.js";

const SEMANTICS: ReadonlySet<unknown> = new Set(Object.values(StepSemantics));

/**
 * Checks what `step(name, fn, config)` was given before anything runs: an unknown `semantics` (the
 * enum's key, "AtMostOncePerRetry", instead of its value) used to mean at-least-once, so a body
 * meant to run at most once could run again after a crash; a `retryStrategy` that is not a
 * function only warned at the first failure, and the step failed without retrying.
 */
export function checkStepConfig(where: string, config: Pick<StepConfig<unknown>, "semantics" | "retryStrategy">): void {
  const { semantics, retryStrategy } = config;
  if (semantics !== undefined && !SEMANTICS.has(semantics)) {
    throw new ValidationError(
      `${where}: semantics must be StepSemantics.AtLeastOncePerRetry or StepSemantics.AtMostOncePerRetry, got ${shownValue(semantics)}.`,
    );
  }
  checkRetryStrategyOption(where, retryStrategy);
}

/**
 * Starts ctx.step. A step whose checkpoint says it succeeded answers with its result at once, as
 * an {@link Answered} promise: replay's common case, which then needs no closure, no async frame
 * and no tracking (see ContextImpl). Anything else runs in {@link runStep}. Throws what the
 * step's arguments get wrong.
 */
export function startStep<T>(ctx: ContextImpl, name: string | undefined, fn: StepFunc<T>, config: StepConfig<T>): Promise<T> | Answered<T> {
  const engine = ctx.engine;
  const subType = customSubType(`step${quotedName(name)}`, config.subType) ?? OperationSubType.STEP;
  const id = ctx.nextId();
  const existing = engine.replayCheckStep({ id, type: OperationType.STEP, subType, name });
  if (engine.ended) return never();
  const step = new StepRun(ctx, id, name, config);
  if (typeof existing !== "string" && existing?.Status !== OperationStatus.SUCCEEDED) return continueStep(step, existing, fn, undefined);
  let value: T | Promise<T>;
  try {
    // A string is the result of a step held compactly, which succeeded.
    value = step.decode(typeof existing === "string" ? existing : existing.StepDetails?.Result);
  } catch (error) {
    return Promise.reject(error);
  }
  // A custom serdes decodes asynchronously: settle as an async function returning its promise would.
  return value instanceof Promise ? settleWith(value) : new Answered(Promise.resolve(value));
}

/**
 * Runs ctx.step from its checkpoint. `resumed`: the step's operation as the service reported it
 * once its scheduled retry came due while this invocation was alive (see InvocationEngine.block);
 * the step carries on with the next attempt.
 */
async function runStep<T>(ctx: ContextImpl, name: string | undefined, fn: StepFunc<T>, config: StepConfig<T>, resumed: CheckpointedOperation): Promise<T> {
  const step = new StepRun(ctx, resumed.Id, name, config);
  if (ctx.engine.ended) return never();
  return continueStep(step, resumed, fn, resumed);
}

async function settleWith<T>(value: Promise<T>): Promise<T> {
  return value;
}

/** The rest of runStep: `existing` is the step's checkpoint, if any. */
async function continueStep<T>(
  step: StepRun<T>,
  existing: CheckpointedOperation | undefined,
  fn: StepFunc<T>,
  resumed: CheckpointedOperation | undefined,
): Promise<T> {
  const { ctx, id, name, config } = step;
  const engine = ctx.engine;
  // Replay's common case first, before anything a first run needs.
  if (existing?.Status === OperationStatus.SUCCEEDED) return step.decode(existing.StepDetails?.Result);
  if (engine.plugins && existing && !resumed) await operationReplayed(engine, step.identity, existing);

  let attempt = 1;
  if (existing) {
    const details = existing.StepDetails;
    switch (existing.Status) {
      case OperationStatus.FAILED:
        throw stepError(details?.Error ?? { ErrorType: "StepError", ErrorMessage: `${step.what} failed` });
      case OperationStatus.PENDING:
        // A retry is scheduled and not yet due: it runs once the service says it is.
        return runStep(ctx, name, fn, config, await engine.block(id));
      case OperationStatus.STARTED:
        attempt = details?.Attempt ?? 1;
        if (step.semantics === StepSemantics.AtMostOncePerRetry) {
          // The body may have run; never run it again. The interruption is this attempt's failure.
          return step.fail(attempt, new StepInterruptedError(id, name), fn);
        }
        break;
      default:
        attempt = (details?.Attempt ?? 0) + 1;
    }
  }
  if (ctx.closed) return never();
  // Too close to the invocation's timeout to start a body: hold it for the next invocation.
  if (engine.timeBudget?.exhausted()) return engine.block();

  // Not awaited at least once per retry: a failed checkpoint ends the invocation on its own (and
  // the batcher's promise is never an unhandled rejection). An at-least-once attempt interrupted
  // mid-body is already STARTED: it runs again without a second start, as on AWS.
  if (existing?.Status !== OperationStatus.STARTED) {
    const started = ctx.checkpoint(step.update(OperationAction.START));
    if (step.semantics === StepSemantics.AtMostOncePerRetry) await started;
  }
  if (engine.plugins && !existing) await operationStarted(engine, step.identity);

  let result: T;
  engine.suspension.bodyStarted();
  try {
    const stepContext = new StepContextImpl(step, attempt);
    if (engine.plugins) {
      step.attemptRunning = true;
      await attemptStarted(engine, step.identity, attempt);
      result = await attemptInPlugins(step, attempt, fn, stepContext);
    } else {
      result = await runInScope(step, fn, stepContext);
    }
  } catch (error) {
    engine.suspension.bodyEnded();
    if (engine.ended || ctx.closed) return never();
    return step.fail(attempt, error, fn);
  }
  engine.suspension.bodyEnded();
  if (engine.ended || ctx.closed) return never();

  let payload: string | undefined;
  try {
    payload = await serializeAt(step, step.serdes, result);
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
    if (engine.plugins) await step.reportEnd(attempt, error, true);
    throw stepError(errorObject);
  }
  await ctx.checkpoint(step.update(OperationAction.SUCCEED, payload === undefined ? undefined : { Payload: payload }));
  if (engine.plugins) await step.reportEnd(attempt, undefined, true);
  // Hand back the checkpointed value, so the first run sees exactly what a replay will see.
  return step.decode(payload);
}

/**
 * The attempt inside the plugins' wrappers. Its closure lives here, not in runStep: a closure in
 * runStep would give every step call a heap-allocated scope, plugins or not.
 */
function attemptInPlugins<T>(step: StepRun<T>, attempt: number, fn: StepFunc<T>, stepContext: StepContext): Promise<T> {
  return wrapAttempt(step.ctx.engine, step.identity, attempt, async () => runInScope(step, fn, stepContext));
}

/** One call of ctx.step (see StepOperationRun). */
class StepRun<T> extends StepOperationRun<T, StepConfig<T>> {
  get subType(): string {
    return this.config.subType ?? OperationSubType.STEP;
  }

  get what(): string {
    return describeOperation("step", this.id, this.name);
  }

  get semantics(): StepSemantics {
    return this.config.semantics ?? StepSemantics.AtLeastOncePerRetry;
  }

  decode(payload: string | undefined): T | Promise<T> {
    return deserializeAt(this, this.serdes, payload);
  }

  /** A failed attempt: retry as the strategy decides, or fail the step for good. */
  async fail(attempt: number, error: unknown, fn: StepFunc<T>): Promise<T> {
    let errorObject = toErrorObject(error);
    const decision = decideRetry(this.config, error, attempt, this.what, this.ctx.defaultRetryStrategy);
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
        if (this.ctx.engine.plugins) await this.reportEnd(attempt, error, false, delay);
        // The next attempt runs once the retry is due: in this invocation if it is still alive.
        return runStep(this.ctx, this.name, fn, this.config, await this.ctx.engine.block(this.id));
      }
    }
    await this.ctx.checkpoint(this.update(OperationAction.FAIL, { Error: errorObject }));
    if (this.ctx.engine.plugins) await this.reportEnd(attempt, error, true);
    throw stepError(errorObject);
  }
}

/** What a step body receives; its logger and signal are created only if the body reads them. */
class StepContextImpl<T> implements StepContext {
  #logger: DurableContextLogger | undefined;

  constructor(
    private readonly step: StepRun<T>,
    readonly attempt: number,
  ) {}

  get signal(): AbortSignal {
    return this.step.ctx.signal;
  }

  get logger(): DurableContextLogger {
    const { ctx, id, name } = this.step;
    this.#logger ??= createContextLogger(ctx.engine, { operationId: id, operationName: name, attempt: this.attempt }, () => false);
    return this.#logger;
  }
}

function decideRetry<T>(config: StepConfig<T>, error: unknown, attempt: number, what: string, fallback?: RetryStrategy): RetryDecision {
  const strategy = config.retryStrategy ?? fallback ?? retryPresets.default;
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

/**
 * What a failed step throws: a StepError whose cause is the error the body threw, except when the
 * body threw one of the durable errors (a CallbackError, an InvokeError, a StepError of a step it
 * awaited, …), which comes out as itself, as on the AWS SDK: no StepError around a StepError.
 */
function stepError(errorObject: ErrorObject): Error {
  if (isDurableErrorType(errorObject.ErrorType)) {
    const rebuilt = errorFromObject(errorObject) as DurableOperationError;
    // Never without a cause, as on AWS: the recorded error itself when it carried none.
    if (rebuilt.cause === undefined) {
      rebuilt.cause = new Error(errorObject.ErrorMessage);
      rebuilt.cause.name = errorObject.ErrorType as string;
    }
    return rebuilt;
  }
  return new StepError(errorObject.ErrorMessage ?? "Step failed", errorFromObject(errorObject), errorObject.ErrorData);
}
