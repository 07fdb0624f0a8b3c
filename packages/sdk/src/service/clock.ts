import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "./service-api.js";

/**
 * The orchestrator's view of time: what the service reads as "now", plus a way to let time pass
 * until a timer is due. Waits, retry delays and callback timeouts all become "re-invoke at T", so
 * the whole difference between real and skipped time lives here.
 */
export interface OrchestratorClock extends Clock {
  /**
   * Resolves once `now()` has reached `until`. Rejects with the signal's reason if `signal` aborts
   * first. A virtual clock jumps and resolves at once; a real one sleeps.
   */
  sleepUntil(until: Date, signal?: AbortSignal): Promise<void>;
}

/**
 * Real time: the wall clock, and real sleeping. The one clock every part uses unless a test or a
 * time-skipping runner passes its own.
 */
export const systemClock: OrchestratorClock = {
  now: () => new Date(),
  sleepUntil: (until, signal) => sleepInRealTime(systemClock, until, signal),
};

async function sleepInRealTime(clock: Clock, until: Date, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  // Loop because a timer may fire a millisecond early relative to the clock.
  for (let remaining = until.getTime() - clock.now().getTime(); remaining > 0; ) {
    await sleep(remaining, undefined, signal ? { signal } : undefined);
    remaining = until.getTime() - clock.now().getTime();
  }
}

/**
 * Any service Clock as an orchestrator clock: one that cannot skip time (e.g. the service's own
 * `systemClock`) is taken to follow real time, and the orchestrator sleeps for it.
 */
export function toOrchestratorClock(clock: Clock): OrchestratorClock {
  if (typeof (clock as Partial<OrchestratorClock>).sleepUntil === "function") return clock as OrchestratorClock;
  return {
    now: () => clock.now(),
    sleepUntil: (until, signal) => sleepInRealTime(clock, until, signal),
  };
}

/**
 * Time that only moves when told to. It never touches the global timers, so any number of
 * executions can skip time side by side without disturbing each other or the test framework.
 */
export class VirtualClock implements OrchestratorClock {
  #now: number;

  /**
   * Starts at `start`, or at the real current time so timestamps still look plausible. Throws
   * RangeError for an invalid date, which would make virtual time NaN and no timer ever due.
   */
  constructor(start: Date = new Date()) {
    const time = start.getTime();
    if (Number.isNaN(time)) {
      throw new RangeError(`VirtualClock: invalid start date (got ${String(start)}); pass a valid Date, or nothing to start at the current time`);
    }
    this.#now = time;
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Moves to `time`. Time never runs backwards, so an earlier `time` is refused. */
  set(time: Date): void {
    const target = time.getTime();
    if (Number.isNaN(target)) throw new RangeError("VirtualClock.set: invalid date");
    if (target < this.#now) {
      throw new RangeError(
        `VirtualClock.set: ${time.toISOString()} is before the current virtual time ${this.now().toISOString()}; ` +
          "virtual time only moves forward",
      );
    }
    this.#now = target;
  }

  /** Moves virtual time forward by `milliseconds` (non-negative); throws RangeError otherwise. */
  advance(milliseconds: number): void {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new RangeError(`VirtualClock.advance: expected a non-negative number of milliseconds, got ${milliseconds}`);
    }
    this.#now += milliseconds;
  }

  async sleepUntil(until: Date, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (until.getTime() > this.#now) this.#now = until.getTime();
  }
}
