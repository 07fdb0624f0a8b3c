import { performance } from "node:perf_hooks";
import { setImmediate as nextMacrotask, setTimeout as sleep } from "node:timers/promises";
import type { DurableExecutionService } from "@cairn/sdk/service";
import type { WaitForExternalChange, WaitingInfo } from "@cairn/sdk/orchestrator";
import type { SkippedTimeClock } from "./skipped-time-clock.js";

/**
 * In skipped time, how long (real milliseconds) after the test last acted on a run time keeps
 * running at real speed while a callback is open, instead of jumping to the next timer: the
 * window in which a test answering or heartbeating from its own body in real time (as tests
 * written for the AWS runner do) gets its turn. Quiet longer than this, and time jumps again.
 */
export const ANSWER_GRACE_MS = 1000;

/**
 * Connects callbacks sent from a test to a run that waits for them: a send wakes the waiting run
 * at once; a run with nothing to wait for but callbacks parks on a promise (no polling).
 */
export class CallbackWakeups {
  readonly #listeners = new Set<() => void>();
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Real time (performance.now) of the test's latest act on the run. */
  #lastActed: number | undefined;

  /**
   * The test acted on the run (sent to a callback, waited for or took an operation): it may act
   * again soon, in real time.
   */
  acted(): void {
    this.#lastActed = performance.now();
  }

  /** Real milliseconds left of `graceMs` since the test's latest act; 0 when it has been quiet longer (or never acted). */
  graceLeft(graceMs: number): number {
    if (this.#lastActed === undefined) return 0;
    return Math.max(0, this.#lastActed + graceMs - performance.now());
  }

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
  /**
   * Publishes the latest state to handles that wait for it (waitForData); with `force`, to every
   * handle, so one read without waiting (e.g. to answer a callback from a timer) is current.
   */
  publish: (force: boolean) => Promise<void>;
}

/**
 * The runner's `onWaiting`: waits for the next timer, a test's sleep falling before it, or a
 * callback sent meanwhile — whichever comes first. In skipped time, time moves only once the
 * test has had its turn to react to the latest state (so a callback sent in reply to
 * `waitForData` arrives before a timeout is skipped past), and it jumps only when the test is not
 * answering callbacks in real time: while a callback is open, the test acted within the last
 * ANSWER_GRACE_MS and it has not slept on the run's clock (`runner.sleep`, with which a test
 * drives time itself), time runs at real speed instead, so its answers and heartbeats land as
 * they would in real time (the same events, in the same order).
 */
export function createWaitingHook(options: WaitingHookOptions): (info: WaitingInfo) => Promise<boolean> {
  const { service, skipped, wakeups } = options;
  const settle = async (): Promise<void> => {
    // A test acting in real time may read a handle without waiting for it first.
    await options.publish(wakeups.graceLeft(ANSWER_GRACE_MS) > 0);
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
            // Real-speed time reached the timer: the orchestrator fires it.
            if (skipped.now().getTime() >= until.getTime()) return false;
            const grace = skipped.slept ? 0 : await answerGrace(service, executionArn, wakeups);
            if (grace > 0) {
              await followRealTime(skipped, until, grace, [wake.promise, aborted.promise]);
              continue;
            }
            await skipped.sleepUntil(until);
            return false;
          }
          // Nothing moves this execution on by itself: park until a test sends a callback.
          await Promise.race([wake.promise, aborted.promise]);
          return wake.woken;
        }
      }
      if (wakeups.graceLeft(ANSWER_GRACE_MS) > 0) await options.publish(true);
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

/**
 * How long time should run at real speed before jumping: what is left of the grace since the
 * test's latest act, provided a callback is open for it to answer; otherwise 0.
 */
async function answerGrace(service: DurableExecutionService, executionArn: string, wakeups: CallbackWakeups): Promise<number> {
  const left = wakeups.graceLeft(ANSWER_GRACE_MS);
  if (left <= 0) return 0;
  // Read only when the test is active, so runs nobody answers pay nothing for the check.
  const operations = await service.getOperations(executionArn);
  return operations.some((op) => op.Type === "CALLBACK" && op.Status === "STARTED") ? left : 0;
}

/**
 * Lets skipped time run at real speed for up to `graceMs`, stopping early at the timer, when the
 * test sleeps on the run's clock (it has said when it acts), or when `interrupts` settles.
 */
async function followRealTime(
  skipped: SkippedTimeClock,
  until: Date,
  graceMs: number,
  interrupts: readonly Promise<void>[],
): Promise<void> {
  skipped.followRealTime(until);
  const timer = new AbortController();
  try {
    const toTimer = until.getTime() - skipped.now().getTime();
    await Promise.race([
      ...interrupts,
      skipped.nextSleepCall(),
      sleep(Math.max(1, Math.min(graceMs, toTimer)), undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
  } finally {
    timer.abort();
    skipped.stopFollowing();
  }
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
