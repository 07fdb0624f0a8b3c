// Retrying a block of durable code: what a step's retryStrategy does for one body, for a function
// that may itself wait, call back or invoke (which a step body cannot).
import { ValidationError } from "../errors/validation-error.js";
import type { ChildConfig } from "../types/child.js";
import type { DurableContext } from "../types/context.js";
import type { RetryDecision } from "../types/step.js";

/** How {@link withRetry} retries. */
export interface WithRetryConfig<T> {
  /**
   * After a failed attempt (1-based `attemptCount`), whether to run the function again and after
   * which delay (default 1 second). The same shape as a step's `retryStrategy`: values from
   * `createRetryStrategy` or `retryPresets` fit. It runs again on every replay, with the replayed
   * error, so it must decide the same way each time (a jittered delay may differ: the wait's
   * checkpoint keeps the first one).
   */
  retryStrategy: (error: Error, attemptCount: number) => RetryDecision;
  /**
   * Run the attempts and the waits between them in a child context (default true), so they form
   * one operation in the execution's history. Then a final failure is a `ChildContextError` whose
   * `cause` is the last attempt's error; with false, that error itself.
   */
  wrapWithRunInChildContext?: boolean;
  /** Passed to the wrapping `runInChildContext` (e.g. its `serdes`); ignored without one. */
  childContextConfig?: ChildConfig<T>;
}

/**
 * One attempt of {@link withRetry}: any durable code, run on `context` (the child context when
 * the attempts are wrapped). `attempt` counts from 1; operations need no per-attempt names, since
 * they are told apart by position, but a name like `` `charge-${attempt}` `` reads better in the
 * history.
 */
export type RetryableFunc<T> = (context: DurableContext, attempt: number) => Promise<T>;

/**
 * Runs `func` until an attempt succeeds or `retryStrategy` says to stop, waiting durably between
 * attempts (`ctx.wait`, named `` `${name}-backoff-${attempt}` `` when `name` is given), and
 * resolves with the successful attempt's result. Each attempt and wait is checkpointed, so an
 * interrupted execution resumes at the attempt it was in rather than starting over.
 *
 * @example
 * ```ts
 * const decision = await withRetry(ctx, "approval",
 *   (child, attempt) => child.waitForCallback(`approval-${attempt}`, submit, { timeout: { hours: 24 } }),
 *   { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 2 } }) },
 * );
 * ```
 */
export function withRetry<T>(context: DurableContext, name: string, func: RetryableFunc<T>, config: WithRetryConfig<T>): Promise<T>;
/** As {@link withRetry} without a name: the child context and the waits are unnamed. */
export function withRetry<T>(context: DurableContext, func: RetryableFunc<T>, config: WithRetryConfig<T>): Promise<T>;
export async function withRetry<T>(
  context: DurableContext,
  nameOrFunc: string | RetryableFunc<T>,
  funcOrConfig: RetryableFunc<T> | WithRetryConfig<T>,
  maybeConfig?: WithRetryConfig<T>,
): Promise<T> {
  const named = typeof nameOrFunc === "string";
  const name = named ? nameOrFunc : undefined;
  const func: unknown = named ? funcOrConfig : nameOrFunc;
  const config: unknown = named ? maybeConfig : funcOrConfig;
  checkFunction<T>(func);
  checkConfig<T>(config);
  const { retryStrategy, wrapWithRunInChildContext = true, childContextConfig } = config;

  const attempts = async (ctx: DurableContext): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await func(ctx, attempt);
      } catch (error) {
        const decision = retryStrategy(error as Error, attempt);
        if (typeof decision !== "object" || decision === null) {
          throw new ValidationError(
            `withRetry${name === undefined ? "" : ` "${name}"`}: retryStrategy must return { shouldRetry, delay? } (got ${decision === null ? "null" : typeof decision} after attempt ${attempt}).`,
          );
        }
        if (!decision.shouldRetry) throw error;
        const delay = decision.delay ?? { seconds: 1 };
        await (name === undefined ? ctx.wait(delay) : ctx.wait(`${name}-backoff-${attempt}`, delay));
      }
    }
  };
  if (!wrapWithRunInChildContext) return attempts(context);
  return name === undefined
    ? context.runInChildContext<T>(attempts, childContextConfig)
    : context.runInChildContext<T>(name, attempts, childContextConfig);
}

function checkConfig<T>(config: unknown): asserts config is WithRetryConfig<T> {
  if (typeof config !== "object" || config === null) {
    throw new ValidationError("withRetry: config is required: pass { retryStrategy } (e.g. createRetryStrategy({ maxAttempts: 3 })).");
  }
  if (typeof (config as WithRetryConfig<T>).retryStrategy !== "function") {
    throw new ValidationError("withRetry: config.retryStrategy must be a function (error, attemptCount) => { shouldRetry, delay? }.");
  }
}

function checkFunction<T>(func: unknown): asserts func is RetryableFunc<T> {
  if (typeof func !== "function") {
    throw new ValidationError("withRetry: pass the function to retry, (context, attempt) => Promise, after the optional name.");
  }
}
