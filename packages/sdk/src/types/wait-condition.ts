import type { Duration } from "./duration.js";
import type { DurableLogger } from "./logger.js";
import type { Serdes } from "./serdes.js";

/** What a waitForCondition check receives beside the current state. */
export interface WaitForConditionContext {
  /** Logs with the operation's id, name and attempt. */
  logger: DurableLogger;
  /** 1-based number of this check; it grows by one each time the wait strategy continues. */
  attempt: number;
}

/**
 * Checks the outside world and returns the next state. The state it returns is checkpointed, so
 * the next check (after a suspension, a replay or a crash) starts from it.
 */
export type WaitForConditionCheckFunc<T, _Logger extends DurableLogger = DurableLogger> = (
  state: T,
  context: WaitForConditionContext,
) => Promise<T>;

/** Continue polling after `delay` (whole seconds, at least 1), or stop with the current state. */
export type WaitForConditionDecision =
  | {
      /** Check again. */
      shouldContinue: true;
      /** How long to suspend before the next check. */
      delay: Duration;
    }
  | {
      /** Stop: the operation resolves to the current state. */
      shouldContinue: false;
    };

/** Decides after each check (1-based `attempt`) whether to poll again and when. */
export type WaitForConditionWaitStrategyFunc<T> = (state: T, attempt: number) => WaitForConditionDecision;

/** Options of {@link DurableContext.waitForCondition}. */
export interface WaitForConditionConfig<T> {
  /** Decides after every check whether to continue and how long to wait; see createWaitStrategy. */
  waitStrategy: WaitForConditionWaitStrategyFunc<T>;
  /** The state the first check receives. Must not be undefined (use null for "nothing yet"). */
  initialState: T;
  /** How the state is checkpointed between checks (default: the context's default serdes). */
  serdes?: Serdes<T>;
}
