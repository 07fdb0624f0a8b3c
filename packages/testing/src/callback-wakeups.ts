import { setImmediate as nextMacrotask, setTimeout as sleep } from "node:timers/promises";
import type { DurableExecutionService, WaitForExternalChange, WaitingInfo } from "@cairn/sdk";
import type { SkippedTimeClock } from "./skipped-time-clock.js";

/**
 * Connects callbacks sent from a test to a run that waits for them: a send wakes the waiting run
 * at once; a run with nothing to wait for but callbacks parks on a promise (no polling).
 */
export class CallbackWakeups {
  readonly #listeners = new Set<() => void>();
  readonly #inFlight = new Set<Promise<unknown>>();

  /** Runs a send, so a skipped-time run does not move time on while it is in flight. */
  track<T>(send: Promise<T>): Promise<T> {
    this.#inFlight.add(send);
    const done = (): void => {
      this.#inFlight.delete(send);
    };
    send.then(done, done);
    return send;
  }

  /** Something external changed the execution (a callback was completed). */
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /** Resolves once no send is in flight. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** A one-shot subscription: `woken` turns true (and `promise` resolves) at the next notify. */
  listen(): { promise: Promise<void>; readonly woken: boolean; stop: () => void } {
    let woken = false;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    const listener = (): void => {
      woken = true;
      resolve();
    };
    this.#listeners.add(listener);
    return {
      promise,
      get woken() {
        return woken;
      },
      stop: () => this.#listeners.delete(listener),
    };
  }
}

export interface WaitingHookOptions {
  service: DurableExecutionService;
  /** Set in skipped time: the run's clock, which jumps only here. */
  skipped: SkippedTimeClock | undefined;
  now: () => Date;
  wakeups: CallbackWakeups;
  /** Publishes the latest state to handles that wait for it (waitForData). */
  publish: () => Promise<void>;
}

/**
 * The runner's `onWaiting`: waits for the next timer, a test's sleep falling before it, or a
 * callback sent meanwhile — whichever comes first. In skipped time, time moves only once the
 * test has had its turn to react to the latest state (so a callback sent in reply to
 * `waitForData` arrives before a timeout is skipped past).
 */
export function createWaitingHook(options: WaitingHookOptions): (info: WaitingInfo) => Promise<boolean> {
  const { service, skipped, wakeups } = options;
  const settle = async (): Promise<void> => {
    await options.publish();
    await nextMacrotask();
    await wakeups.idle();
  };
  return async ({ executionArn, signal, until }) => {
    const wake = wakeups.listen();
    const aborted = abortPromise(signal);
    try {
      // A callback completed after the orchestrator looked and before this listened.
      const due = await service.wakeAt(executionArn);
      if (due !== undefined && due.getTime() <= options.now().getTime()) return true;
      if (skipped) {
        for (;;) {
          await settle();
          if (wake.woken) return true;
          if (signal?.aborted) return false;
          const next = skipped.nextSleeperAt();
          if (next !== undefined && (until === undefined || next <= until.getTime())) {
            skipped.wakeNextSleeper();
            continue;
          }
          if (until !== undefined) {
            await skipped.sleepUntil(until);
            return false;
          }
          // Nothing moves this execution on by itself: park until a test sends a callback.
          await Promise.race([wake.promise, aborted.promise]);
          return wake.woken;
        }
      }
      const timer = new AbortController();
      try {
        await Promise.race([
          wake.promise,
          aborted.promise,
          until === undefined ? new Promise<never>(() => undefined) : realSleepUntil(until, options.now, timer.signal),
        ]);
      } finally {
        timer.abort();
      }
      return wake.woken;
    } finally {
      wake.stop();
      aborted.dispose();
    }
  };
}

/**
 * The runner's `waitForExternalChange`, used while chained-invoke targets run: resolves as soon as
 * a test sends a callback (or one was sent before it listened). It never moves time.
 */
export function createExternalChangeWatch(options: Pick<WaitingHookOptions, "service" | "now" | "wakeups">): WaitForExternalChange {
  return async ({ executionArn, signal }) => {
    const wake = options.wakeups.listen();
    const aborted = abortPromise(signal);
    try {
      const due = await options.service.wakeAt(executionArn);
      if (due !== undefined && due.getTime() <= options.now().getTime()) return;
      await Promise.race([wake.promise, aborted.promise]);
    } finally {
      wake.stop();
      aborted.dispose();
    }
  };
}

function abortPromise(signal: AbortSignal | undefined): { promise: Promise<void>; dispose: () => void } {
  if (!signal) return { promise: new Promise<void>(() => undefined), dispose: () => undefined };
  let onAbort!: () => void;
  const promise = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

async function realSleepUntil(until: Date, now: () => Date, signal: AbortSignal): Promise<void> {
  try {
    for (let remaining = until.getTime() - now().getTime(); remaining > 0; remaining = until.getTime() - now().getTime()) {
      await sleep(remaining, undefined, { signal });
    }
  } catch {
    // Cancelled: another branch of the race won.
  }
}
