import type { Duration } from "./duration.js";
import type { Serdes } from "./serdes.js";
import type { DurableContextLogger, DurableLogger } from "./logger.js";

/** What a {@link RetryStrategy} decided after a failed attempt. */
export interface RetryDecision {
  /** Whether another attempt runs; false fails the step with the attempt's error. */
  shouldRetry: boolean;
  /** Delay before the next attempt; whole seconds, at least 1. */
  delay?: Duration;
}

/** Decides after a failed attempt (1-based `attemptsMade`) whether and when to try again. */
export type RetryStrategy = (error: Error, attemptsMade: number) => RetryDecision;

/** When a step's body may run more than once per attempt. */
export enum StepSemantics {
  /** The body may run again if the process dies after it started but before its result was stored. */
  AtLeastOncePerRetry = "AT_LEAST_ONCE_PER_RETRY",
  /** The start is stored before the body runs; an interrupted attempt is never re-run. */
  AtMostOncePerRetry = "AT_MOST_ONCE_PER_RETRY",
}

/**
 * How a retry or polling delay is randomised, so that many executions failing together do not
 * retry in lockstep. The result is rounded to whole seconds, at least 1.
 */
export enum JitterStrategy {
  /** The computed delay as it is. */
  NONE = "NONE",
  /** Uniform in [0, delay]. */
  FULL = "FULL",
  /** Uniform in [delay / 2, delay]. */
  HALF = "HALF",
}

/** Options of {@link DurableContext.step}. */
export interface StepConfig<T> {
  /**
   * Decides after a failed attempt whether and when to try again. Default: the enclosing batch's
   * `retryStrategy` if any, else `retryPresets.default` (6 attempts, exponential backoff).
   */
  retryStrategy?: RetryStrategy;
  /** At-least-once (default) or at-most-once per attempt; see {@link StepSemantics}. */
  semantics?: StepSemantics;
  /** How the result is checkpointed (default: the context's default serdes, superjson). */
  serdes?: Serdes<T>;
  /**
   * Sub-type recorded on the step's operation in checkpoints, history and plugin info instead of
   * `Step`, so the parts of a composed operation can be told apart (e.g. `"Payment"`). 1 to 32
   * characters from A-Z, a-z, 0-9, `-` and `_`; it must stay the same on every replay.
   */
  subType?: string;
}

/** What a step body receives. */
export interface StepContext {
  /** 1-based number of this attempt. */
  attempt: number;
  /** Logs with the step's operation id, name and attempt; a body always runs for real, so its lines are never dropped. */
  logger: DurableContextLogger;
  /** Fires when the step's result is no longer needed (e.g. its batch completed early). */
  signal: AbortSignal;
}

/**
 * A step body: the work whose result is checkpointed. It must not call `ctx` operations.
 * `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is
 * not narrowed by it.
 */
export type StepFunc<T, _Logger extends DurableLogger = DurableLogger> = (context: StepContext) => Promise<T>;
