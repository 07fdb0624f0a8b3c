import { ValidationError } from "../errors/validation-error.js";
import type { Duration } from "../types/duration.js";
import { JitterStrategy } from "../types/step.js";
import type { WaitForConditionDecision } from "../types/wait-condition.js";
import { exponentialBackoff } from "./exponential-backoff.js";

/** Options of {@link createWaitStrategy}; only `shouldContinuePolling` is required. */
export interface WaitStrategyConfig<T> {
  /** Whether the state returned by the last check still needs polling (true = not done yet). */
  shouldContinuePolling: (state: T) => boolean;
  /** Checks in total, the first included (default 60). Reaching it while polling fails the operation. */
  maxAttempts?: number;
  /** Delay after the first check (default 5 s). */
  initialDelay?: Duration;
  /** Upper bound of any delay (default 300 s). */
  maxDelay?: Duration;
  /** Multiplier per check (default 1.5). */
  backoffRate?: number;
  /** Randomisation of each delay (default FULL: uniform in [0, delay], then at least 1 s). */
  jitter?: JitterStrategy;
  /**
   * @deprecated Accepted so that handlers written for the AWS SDK compile; it is not enforced
   * (a strategy sees only the state and the attempt number). Bound polling with `maxAttempts`.
   */
  timeoutSeconds?: number;
}

export const DEFAULT_WAIT_STRATEGY = {
  maxAttempts: 60,
  initialDelaySeconds: 5,
  maxDelaySeconds: 300,
  backoffRate: 1.5,
  jitter: JitterStrategy.FULL,
} as const;

/** The wait strategy gave up: the condition was still not met after `maxAttempts` checks. */
export class WaitStrategyExhaustedError extends Error {
  /** `"WaitStrategyExhaustedError"`. */
  readonly errorType = "WaitStrategyExhaustedError";
  constructor(
    /** The number of checks made. */
    readonly maxAttempts: number,
  ) {
    super(
      `waitForCondition gave up after ${maxAttempts} checks: the condition was still not met. ` +
        "Raise maxAttempts or the delays of the wait strategy if the condition needs longer.",
    );
    this.name = "WaitStrategyExhaustedError";
  }
}

/**
 * A wait strategy for waitForCondition: stop as soon as `shouldContinuePolling(state)` is false,
 * otherwise wait with exponential backoff, and fail with WaitStrategyExhaustedError once
 * `maxAttempts` checks found the condition unmet. Delays are whole seconds, at least 1.
 */
export function createWaitStrategy<T>(
  config: WaitStrategyConfig<T>,
): (state: T, attemptsMade: number) => WaitForConditionDecision {
  const what = "createWaitStrategy";
  if (typeof config?.shouldContinuePolling !== "function") {
    throw new ValidationError(`${what}: shouldContinuePolling must be a function (state) => boolean that says whether to keep polling.`);
  }
  const backoff = exponentialBackoff(what, config, DEFAULT_WAIT_STRATEGY);
  const { shouldContinuePolling } = config;

  return (state: T, attemptsMade: number): WaitForConditionDecision => {
    if (!shouldContinuePolling(state)) return { shouldContinue: false };
    if (attemptsMade >= backoff.maxAttempts) throw new WaitStrategyExhaustedError(backoff.maxAttempts);
    return { shouldContinue: true, delay: { seconds: backoff.delaySeconds(attemptsMade) } };
  };
}
