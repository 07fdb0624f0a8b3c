import { ValidationError } from "../errors/validation-error.js";
import { wholeSeconds, type Duration } from "../types/duration.js";
import { JitterStrategy, type RetryDecision, type RetryStrategy } from "../types/step.js";
import { exponentialBackoff } from "./exponential-backoff.js";

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

/** An exponential-backoff retry strategy. Delays are whole seconds, at least 1. */
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

export interface LinearRetryStrategyConfig {
  maxAttempts?: number;
  /** Delay added per attempt: the n-th retry waits n times this. */
  delayIncrement?: Duration;
  maxDelay?: Duration;
}

/** Retries with delays growing by a fixed increment (5 s, 10 s, 15 s, ... by default). */
export function createLinearRetryStrategy(config: LinearRetryStrategyConfig = {}): RetryStrategy {
  const maxAttempts = config.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new ValidationError(`createLinearRetryStrategy: maxAttempts must be an integer >= 1, got ${maxAttempts}.`);
  }
  const step = config.delayIncrement === undefined ? 5 : wholeSeconds(config.delayIncrement, "createLinearRetryStrategy: delayIncrement");
  const max = config.maxDelay === undefined ? Infinity : wholeSeconds(config.maxDelay, "createLinearRetryStrategy: maxDelay");
  return (_error, attemptsMade) =>
    attemptsMade >= maxAttempts ? { shouldRetry: false } : { shouldRetry: true, delay: { seconds: Math.min(max, step * attemptsMade) } };
}

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
