import { WaitForConditionError, errorFromObject } from "../errors/durable-errors.js";
import type { CheckpointedOperation } from "../engine/checkpointed-operations.js";
import { toErrorObject } from "../errors/error-object.js";
import { ValidationError } from "../errors/validation-error.js";
import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type ErrorObject } from "../protocol/wire.js";
import { wholeSeconds } from "../types/duration.js";
import type { WaitForConditionCheckFunc, WaitForConditionConfig, WaitForConditionDecision } from "../types/wait-condition.js";
import { createContextLogger } from "./context-logger.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { runInScope } from "./active-scope.js";
import { attemptStarted, operationReplayed, operationStarted, wrapAttempt } from "./operation-hooks.js";
import { describeOperation, deserializeAt, fitsInline, quotedName, serializeAt } from "./payloads.js";
import { StepOperationRun } from "./step-operation-run.js";

// waitForCondition is a STEP (sub-type WaitForCondition) whose attempts are checks. A check that
// asks to continue is checkpointed as a RETRY carrying the new state (the service records it as
// StepSucceeded with a next-attempt delay); the next attempt starts from that state. Stopping is
// a SUCCEED with the final state; a throwing check or strategy is a FAIL (no retries).

/** Checks the arguments before an id is taken or anything is written. */
export function validateWaitForCondition<T>(
  name: string | undefined,
  check: unknown,
  config: unknown,
): asserts config is WaitForConditionConfig<T> {
  const what = `waitForCondition${quotedName(name)}`;
  if (typeof check !== "function") {
    throw new ValidationError(`${what}: the check function is missing; pass waitForCondition(name, async (state, ctx) => nextState, config).`);
  }
  if (typeof config !== "object" || config === null) {
    throw new ValidationError(`${what}: config is required: { initialState, waitStrategy } (see createWaitStrategy).`);
  }
  const { waitStrategy, initialState } = config as Partial<WaitForConditionConfig<T>>;
  if (typeof waitStrategy !== "function") {
    throw new ValidationError(`${what}: config.waitStrategy must be a function (state, attempt) => decision; build one with createWaitStrategy.`);
  }
  if (initialState === undefined) {
    throw new ValidationError(`${what}: config.initialState is required (use null for "no state yet").`);
  }
}

/**
 * Runs ctx.waitForCondition. `resumed`: its operation as the service reported it once the next
 * check came due while this invocation was alive (see InvocationEngine.block).
 */
export async function runWaitForCondition<T>(
  ctx: ContextImpl,
  name: string | undefined,
  check: WaitForConditionCheckFunc<T>,
  config: WaitForConditionConfig<T>,
  resumed?: CheckpointedOperation,
): Promise<T> {
  const engine = ctx.engine;
  const id = resumed?.Id ?? ctx.nextId();
  const existing = resumed ?? engine.replayCheck({ id, type: OperationType.STEP, subType: OperationSubType.WAIT_FOR_CONDITION, name });
  if (engine.ended) return never();
  const poll = new Poll(ctx, id, name, config);
  if (existing?.Status === OperationStatus.SUCCEEDED) return poll.decode(existing.StepDetails?.Result);
  if (engine.plugins && existing && !resumed) await operationReplayed(engine, poll.identity, existing);

  let attempt = 1;
  let state: T = config.initialState;
  if (existing) {
    const details = existing.StepDetails;
    switch (existing.Status) {
      case OperationStatus.FAILED:
        throw conditionError(details?.Error ?? { ErrorType: "WaitForConditionError", ErrorMessage: `${poll.what} failed` });
      case OperationStatus.PENDING:
        // The next check is scheduled: it runs once the service says it is due.
        return runWaitForCondition(ctx, name, check, config, await engine.block(id));
      case OperationStatus.STARTED:
        // A check was interrupted (crash): run the same attempt again, from the state it started with.
        attempt = details?.Attempt ?? 1;
        if (attempt > 1) state = await poll.decode(details?.Result);
        break;
      default:
        // READY: the delay has passed; the last check's state is the next one's input.
        attempt = (details?.Attempt ?? 0) + 1;
        state = await poll.decode(details?.Result);
    }
  }
  if (ctx.closed) return never();
  // Too close to the invocation's timeout to run a check: hold it for the next invocation.
  if (engine.timeBudget?.exhausted()) return engine.block();

  // A failed checkpoint ends the invocation. An interrupted check is already STARTED: it runs again
  // without a second start, as on AWS.
  if (existing?.Status !== OperationStatus.STARTED) ctx.checkpoint(poll.update(OperationAction.START));
  if (engine.plugins && !existing) await operationStarted(engine, poll.identity);

  let payload: string | undefined;
  let decided: T;
  let decision: WaitForConditionDecision;
  let checking = true;
  engine.suspension.bodyStarted();
  try {
    const checkContext = {
      attempt,
      logger: createContextLogger(engine, { operationId: id, operationName: name, attempt }, () => false),
    };
    let next: T;
    if (engine.plugins) {
      // Each check is one attempt of the operation, as each run of a step body is.
      poll.attemptRunning = true;
      await attemptStarted(engine, poll.identity, attempt);
      next = await wrapAttempt(engine, poll.identity, attempt, async () => runInScope(poll, (s: T) => check(s, checkContext), state));
    } else {
      next = await runInScope(poll, (s: T) => check(s, checkContext), state);
    }
    checking = false;
    engine.suspension.bodyEnded();
    if (engine.ended || ctx.closed) return never();
    payload = await serializeAt(poll, poll.serdes, next);
    if (!fitsInline(payload)) {
      throw new RangeError(
        `The state returned by the check of ${poll.what} is larger than the 256 KiB a checkpoint holds; ` +
          "keep the polling state small (e.g. ids and a status, not the data).",
      );
    }
    // The strategy sees exactly the state a replay will see.
    decided = await poll.decode(payload);
    decision = poll.decide(decided, attempt);
  } catch (error) {
    if (checking) engine.suspension.bodyEnded();
    if (engine.ended || ctx.closed) return never();
    const errorObject = toErrorObject(error);
    await ctx.checkpoint(poll.update(OperationAction.FAIL, { Error: errorObject }));
    if (engine.plugins) await poll.reportEnd(attempt, error, true);
    throw conditionError(errorObject);
  }

  if (!decision.shouldContinue) {
    await ctx.checkpoint(poll.update(OperationAction.SUCCEED, payload === undefined ? undefined : { Payload: payload }));
    if (engine.plugins) await poll.reportEnd(attempt, undefined, true);
    return decided;
  }
  let delay: number;
  try {
    delay = wholeSeconds(decision.delay, `the delay chosen by the wait strategy of ${poll.what}`);
  } catch (invalid) {
    const errorObject = toErrorObject(invalid);
    await ctx.checkpoint(poll.update(OperationAction.FAIL, { Error: errorObject }));
    if (engine.plugins) await poll.reportEnd(attempt, invalid, true);
    throw conditionError(errorObject);
  }
  await ctx.checkpoint(
    poll.update(OperationAction.RETRY, {
      ...(payload === undefined ? {} : { Payload: payload }),
      StepOptions: { NextAttemptDelaySeconds: delay },
    }),
  );
  // The check succeeded and asked for another one: the attempt ends, the operation goes on.
  if (engine.plugins) await poll.reportEnd(attempt, undefined, false);
  // In this invocation if it is still alive (a step body runs elsewhere), else in a later one.
  return runWaitForCondition(ctx, name, check, config, await engine.block(id));
}

/** One call of ctx.waitForCondition (see StepOperationRun); its attempts are checks. */
class Poll<T> extends StepOperationRun<T, WaitForConditionConfig<T>> {
  get subType(): string {
    return OperationSubType.WAIT_FOR_CONDITION;
  }

  get what(): string {
    return describeOperation("waitForCondition", this.id, this.name);
  }

  override get scopeDescription(): string {
    return `the check of ${this.what}`;
  }

  async decode(payload: string | undefined): Promise<T> {
    return deserializeAt(this, this.serdes, payload);
  }

  /** The strategy's decision, checked: a malformed one fails the operation, saying why. */
  decide(state: T, attempt: number): WaitForConditionDecision {
    const decision: unknown = this.config.waitStrategy(state, attempt);
    if (typeof decision !== "object" || decision === null || typeof (decision as { shouldContinue?: unknown }).shouldContinue !== "boolean") {
      throw new TypeError(
        `The wait strategy of ${this.what} must return { shouldContinue: false } or { shouldContinue: true, delay }, got ${JSON.stringify(decision)}.`,
      );
    }
    return decision as WaitForConditionDecision;
  }
}

function conditionError(errorObject: ErrorObject): WaitForConditionError {
  return new WaitForConditionError(
    errorObject.ErrorMessage ?? "Wait for condition failed",
    errorFromObject(errorObject),
    errorObject.ErrorData,
  );
}
