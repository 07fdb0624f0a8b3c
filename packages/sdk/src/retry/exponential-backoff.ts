// The exponential backoff behind createRetryStrategy and createWaitStrategy: one place that checks
// the shared config fields and computes the delays, so both strategies accept and schedule alike.
import { ValidationError } from "../errors/validation-error.js";
import { wholeSeconds, type Duration } from "../types/duration.js";
import { JitterStrategy } from "../types/step.js";

export interface BackoffConfig {
  maxAttempts?: number | undefined;
  initialDelay?: Duration | undefined;
  maxDelay?: Duration | undefined;
  backoffRate?: number | undefined;
  jitter?: JitterStrategy | undefined;
}

/** What a strategy uses when its config leaves a field out. */
export interface BackoffDefaults {
  readonly maxAttempts: number;
  readonly initialDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly backoffRate: number;
  readonly jitter: JitterStrategy;
}

export interface Backoff {
  readonly maxAttempts: number;
  /** Whole seconds (at least 1) to wait after the `attemptsMade`th attempt. */
  delaySeconds(attemptsMade: number): number;
}

/**
 * Checks the backoff fields of a strategy's config (errors name `what`, the factory called) and
 * returns its delays: `initialDelay * backoffRate^(attemptsMade - 1)`, capped at `maxDelay`, jittered.
 */
export function exponentialBackoff(what: string, config: BackoffConfig, defaults: BackoffDefaults): Backoff {
  const maxAttempts = config.maxAttempts ?? defaults.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new ValidationError(`${what}: maxAttempts must be an integer >= 1, got ${String(maxAttempts)}.`);
  }
  const initial =
    config.initialDelay === undefined ? defaults.initialDelaySeconds : wholeSeconds(config.initialDelay, `${what}: initialDelay`);
  const max =
    config.maxDelay === undefined
      ? Math.max(defaults.maxDelaySeconds, initial)
      : wholeSeconds(config.maxDelay, `${what}: maxDelay`);
  if (max < initial) {
    throw new ValidationError(`${what}: maxDelay (${max} s) must not be below initialDelay (${initial} s).`);
  }
  const backoffRate = config.backoffRate ?? defaults.backoffRate;
  if (typeof backoffRate !== "number" || !Number.isFinite(backoffRate) || backoffRate < 1) {
    throw new ValidationError(`${what}: backoffRate must be a number >= 1, got ${String(backoffRate)}.`);
  }
  const jitter = config.jitter ?? defaults.jitter;
  if (!Object.values(JitterStrategy).includes(jitter)) {
    throw new ValidationError(`${what}: jitter must be one of NONE, FULL, HALF, got ${String(jitter)}.`);
  }
  return {
    maxAttempts,
    delaySeconds: (attemptsMade) => applyJitter(Math.min(max, initial * backoffRate ** (attemptsMade - 1)), jitter),
  };
}

/** Randomises a delay per `jitter` and rounds it to whole seconds, at least 1. */
export function applyJitter(delay: number, jitter: JitterStrategy): number {
  let value = delay;
  if (jitter === JitterStrategy.FULL) value = Math.random() * delay;
  else if (jitter === JitterStrategy.HALF) value = delay / 2 + (Math.random() * delay) / 2;
  // The checkpoint protocol schedules whole seconds, and the next attempt is at least one away.
  return Math.max(1, Math.round(value));
}
