import { ValidationError } from "../errors/validation-error.js";
import { wholeSeconds, type Duration } from "../types/duration.js";
import { JitterStrategy, type RetryDecision, type RetryStrategy } from "../types/step.js";
import { applyJitter, exponentialBackoff } from "./exponential-backoff.js";

/** Options of {@link createRetryStrategy}; every field is optional. */
export interface RetryStrategyConfig {
  /** Total attempts including the first (default 6). */
  maxAttempts?: number;
  /** Delay before the second attempt (default 5 s). */
  initialDelay?: Duration;
  /** Upper bound of any delay (default 60 s). */
  maxDelay?: Duration;
  /** Multiplier per attempt (default 2). */
  backoffRate?: number;
  /** Randomisation of each delay (default FULL: uniform in [0, delay]). */
  jitter?: JitterStrategy;
  /** Retry only errors whose message contains one of these strings or matches one of these patterns. */
  retryableErrors?: (string | RegExp)[];
  /** Retry only errors that are instances of these classes (or, after replay, carry their name). */
  retryableErrorTypes?: (new (...args: never[]) => Error)[];
}

export const DEFAULT_RETRY = {
  maxAttempts: 6,
  initialDelaySeconds: 5,
  maxDelaySeconds: 60,
  backoffRate: 2,
  jitter: JitterStrategy.FULL,
} as const;

/**
 * An exponential-backoff retry strategy for {@link StepConfig.retryStrategy}: the n-th retry waits
 * `initialDelay * backoffRate^(n-1)`, capped at `maxDelay`, then jittered. Delays are whole
 * seconds, at least 1: a retry is a checkpointed timer, so the execution may suspend meanwhile.
 * Throws {@link ValidationError} for an invalid config.
 *
 * @example
 * ```ts
 * const retry = createRetryStrategy({
 *   maxAttempts: 4,
 *   initialDelay: { seconds: 2 },
 *   backoffRate: 3, // 2 s, 6 s, 18 s
 *   jitter: JitterStrategy.NONE,
 *   retryableErrors: [/timeout/, "ECONNRESET"],
 * });
 * await ctx.step("call-partner", () => partner.call(order), { retryStrategy: retry });
 * ```
 */
export function createRetryStrategy(config: RetryStrategyConfig = {}): RetryStrategy {
  const backoff = exponentialBackoff("createRetryStrategy", config, DEFAULT_RETRY);
  const { retryableErrors, retryableErrorTypes } = config;

  return (error: Error, attemptsMade: number): RetryDecision => {
    if (attemptsMade >= backoff.maxAttempts) return { shouldRetry: false };
    if (!isRetryable(error, retryableErrors, retryableErrorTypes)) return { shouldRetry: false };
    return { shouldRetry: true, delay: { seconds: backoff.delaySeconds(attemptsMade) } };
  };
}

function isRetryable(
  error: Error,
  patterns: (string | RegExp)[] | undefined,
  types: (new (...args: never[]) => Error)[] | undefined,
): boolean {
  if (!patterns?.length && !types?.length) return true;
  const message = error?.message ?? "";
  if (patterns?.some((p) => (typeof p === "string" ? message.includes(p) : p.test(message)))) return true;
  const name = (error as Error | undefined)?.name;
  return types?.some((type) => error instanceof type || name === type.name) ?? false;
}

/** Options of {@link createLinearRetryStrategy}; every field is optional. */
export interface LinearRetryStrategyConfig {
  /** Total attempts including the first (default 5). */
  maxAttempts?: number;
  /** Delay before the second attempt (default: `increment`). */
  initialDelay?: Duration;
  /** Added per further retry: the n-th retry waits `initialDelay + (n - 1) * increment` (default 5 s). */
  increment?: Duration;
  /** The earlier name of `increment`, still accepted. */
  delayIncrement?: Duration;
  /** Upper bound of any delay (default: none). */
  maxDelay?: Duration;
  /** Randomisation of each delay (default NONE). */
  jitter?: JitterStrategy;
  /** As in createRetryStrategy: retry only errors whose message matches. */
  retryableErrors?: (string | RegExp)[];
  /** As in createRetryStrategy: retry only errors of these classes. */
  retryableErrorTypes?: (new (...args: never[]) => Error)[];
}

/**
 * Retries with delays growing by a fixed increment (5 s, 10 s, 15 s, ... by default), no jitter
 * unless asked. Throws {@link ValidationError} for an invalid config.
 */
export function createLinearRetryStrategy(config: LinearRetryStrategyConfig = {}): RetryStrategy {
  const what = "createLinearRetryStrategy";
  const maxAttempts = config.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new ValidationError(`${what}: maxAttempts must be an integer >= 1, got ${maxAttempts}.`);
  }
  if (config.increment !== undefined && config.delayIncrement !== undefined) {
    throw new ValidationError(`${what}: pass increment or its earlier name delayIncrement, not both.`);
  }
  const incrementField = config.increment === undefined ? "delayIncrement" : "increment";
  const incrementDuration = config.increment ?? config.delayIncrement;
  const step = incrementDuration === undefined ? 5 : wholeSeconds(incrementDuration, `${what}: ${incrementField}`);
  const initial = config.initialDelay === undefined ? step : wholeSeconds(config.initialDelay, `${what}: initialDelay`);
  const max = config.maxDelay === undefined ? Infinity : wholeSeconds(config.maxDelay, `${what}: maxDelay`);
  const jitter = config.jitter ?? JitterStrategy.NONE;
  if (!Object.values(JitterStrategy).includes(jitter)) {
    throw new ValidationError(`${what}: jitter must be one of NONE, FULL, HALF, got ${String(jitter)}.`);
  }
  const { retryableErrors, retryableErrorTypes } = config;
  return (error, attemptsMade) => {
    if (attemptsMade >= maxAttempts) return { shouldRetry: false };
    if (!isRetryable(error, retryableErrors, retryableErrorTypes)) return { shouldRetry: false };
    const delay = Math.min(max, initial + step * (attemptsMade - 1));
    return { shouldRetry: true, delay: { seconds: applyJitter(delay, jitter) } };
  };
}

/** Ready-made retry strategies, e.g. `{ retryStrategy: retryPresets.noRetry }`. */
export const retryPresets = {
  /** 6 attempts, 5 s doubling to at most 60 s, full jitter. */
  default: createRetryStrategy(),
  /** 5 attempts, waiting 5 s, 10 s, 15 s, 20 s. */
  linear: createLinearRetryStrategy({ maxAttempts: 5, delayIncrement: { seconds: 5 } }),
  /** One attempt: a failure fails the step. */
  noRetry: createRetryStrategy({ maxAttempts: 1 }),
  /** Alias of noRetry. */
  none: createRetryStrategy({ maxAttempts: 1 }),
} satisfies Record<string, RetryStrategy>;
