import type { Duration } from "./duration.js";
import type { Serdes } from "./serdes.js";
import type { DurableContextLogger, DurableLogger } from "./logger.js";

export interface RetryDecision {
  shouldRetry: boolean;
  /** Delay before the next attempt; whole seconds, at least 1. */
  delay?: Duration;
}

/** Decides after a failed attempt (1-based `attemptsMade`) whether and when to try again. */
export type RetryStrategy = (error: Error, attemptsMade: number) => RetryDecision;

export enum StepSemantics {
  /** The body may run again if the process dies after it started but before its result was stored. */
  AtLeastOncePerRetry = "AT_LEAST_ONCE_PER_RETRY",
  /** The start is stored before the body runs; an interrupted attempt is never re-run. */
  AtMostOncePerRetry = "AT_MOST_ONCE_PER_RETRY",
}

export enum JitterStrategy {
  NONE = "NONE",
  FULL = "FULL",
  HALF = "HALF",
}

export interface StepConfig<T> {
  retryStrategy?: RetryStrategy;
  semantics?: StepSemantics;
  serdes?: Serdes<T>;
  /**
   * Sub-type recorded on the step's operation in checkpoints, history and plugin info instead of
   * `Step`, so the parts of a composed operation can be told apart (e.g. `"Payment"`). 1 to 32
   * characters from A-Z, a-z, 0-9, `-` and `_`; it must stay the same on every replay.
   */
  subType?: string;
}

export interface StepContext {
  /** 1-based number of this attempt. */
  attempt: number;
  logger: DurableContextLogger;
  /** Fires when the step's result is no longer needed (e.g. its batch completed early). */
  signal: AbortSignal;
}

/** `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is not narrowed by it. */
export type StepFunc<T, _Logger extends DurableLogger = DurableLogger> = (context: StepContext) => Promise<T>;
