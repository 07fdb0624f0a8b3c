import type { CheckpointedOperation } from "./checkpointed-operations.js";

/** How the engine waits for a time on the service's clock (virtual in skipped time). */
export interface ServiceClock {
  /** The service's current time. */
  now(): Date;
  /** Resolves once the service's clock reaches `until`; rejects if `signal` aborts first. */
  sleepUntil(until: Date, signal?: AbortSignal): Promise<void>;
}

/** Real time, for a backend with no orchestrator in the process (e.g. AWS Lambda). */
export const realServiceClock: ServiceClock = {
  now: () => new Date(),
  sleepUntil: (until, signal) => sleepMs(until.getTime() - Date.now(), signal),
};

function endAtOf(current: CheckpointedOperation | undefined): number | undefined {
  return current ? endTimeOf(current)?.getTime() : undefined;
}

/** Statuses after which an operation the handler waits on can move on. READY: a retry is due. */
const MOVED_ON = new Set<string>(["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "STOPPED", "READY"]);

/**
 * Re-polls of an operation with no known end time (a callback, an invoke), and of one whose end
 * time passed without the service reporting it: 1 s, 2 s, … up to 10 s apart, as the AWS SDK polls.
 */
const BACKOFF_STEP_MS = 1000;
const BACKOFF_CEILING_MS = 10_000;

interface Waiter {
  wake: (op: CheckpointedOperation | undefined) => void;
  /** When the service moves it on by itself, if known (a wait's end, a retry's time). */
  endAt: number | undefined;
  /** Woken with nothing rather than the operation (see waitForEnd). */
  bare?: true;
}

export interface ServiceWaitsOptions {
  clock: ServiceClock;
  /** Asks the service what changed: a checkpoint with nothing in it, if nothing else is being sent. */
  refresh: () => Promise<void>;
  /** An operation the handler was blocked on moved on (called before its waiter resumes). */
  onWake: () => void;
}

/**
 * Operations the handler waits on that only the service moves on (a wait's end, a retry's time,
 * a callback, an invoke), and the polls that find out that they did while the invocation is still
 * alive because a step body runs (DESIGN invariant 3). Every checkpoint response reports what the
 * service changed, so a poll is a checkpoint with nothing in it, sent when the earliest known end
 * time comes (on the service's clock), or with back-off for operations that have none.
 */
export class ServiceWaits {
  readonly #waiters = new Map<string, Waiter[]>();
  #timer: AbortController | undefined;
  #running = false;
  #polling = false;
  /** Polls in a row that woke nobody (drives the back-off). */
  #idlePolls = 0;
  #stopped = false;

  constructor(private readonly options: ServiceWaitsOptions) {}

  /**
   * Resolves with the operation once a checkpoint response reports that it moved on. `current` is
   * what the engine holds for it now (the service's own version once its update was acknowledged),
   * which tells when the service will move it on by itself.
   */
  waitFor(id: string, current: CheckpointedOperation | undefined): Promise<CheckpointedOperation> {
    return new Promise<CheckpointedOperation>((resolve) => {
      this.#add(id, { wake: resolve as Waiter["wake"], endAt: endAtOf(current) });
    });
  }

  /**
   * As waitFor, resolving with nothing: a wait's end, which the handler gets as `undefined`. Every
   * open map item that waits holds this promise to the invocation's end, so no promise in between
   * drops the operation.
   */
  waitForEnd(id: string, current: CheckpointedOperation | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#add(id, { wake: resolve as Waiter["wake"], endAt: endAtOf(current), bare: true });
    });
  }

  #add(id: string, waiter: Waiter): void {
    const list = this.#waiters.get(id);
    // A new list as a literal: room for its one waiter, where a push onto [] makes room for 16
    // (every open map item waiting on a wait holds one to the invocation's end).
    if (list) list.push(waiter);
    else this.#waiters.set(id, [waiter]);
    this.#schedule();
  }

  /** Operations a checkpoint response reported: wakes their waiters if they moved on. */
  reported(changed: readonly CheckpointedOperation[]): void {
    if (this.#stopped || this.#waiters.size === 0) return;
    for (const op of changed) {
      if (!movedOn(op)) continue;
      const list = this.#waiters.get(op.Id);
      if (!list) continue;
      this.#waiters.delete(op.Id);
      this.#idlePolls = 0;
      for (const waiter of list) {
        this.options.onWake();
        waiter.wake(waiter.bare ? undefined : op);
      }
    }
    if (!this.#polling) this.#schedule();
  }

  /**
   * Polls are armed only while a step body runs: without one the invocation is about to suspend,
   * and a sleep on a skipped-time clock would move time on for nothing.
   */
  bodiesRunning(running: boolean): void {
    this.#running = running;
    if (running) this.#schedule();
    else this.#cancel();
  }

  /** The invocation ended: no more polls; waiters never settle (the invocation is frozen). */
  stop(): void {
    this.#stopped = true;
    this.#cancel();
    this.#waiters.clear();
  }

  #cancel(): void {
    this.#timer?.abort();
    this.#timer = undefined;
  }

  /** Arms one timer for the earliest poll any waiter needs: an end time, else the back-off. */
  #schedule(): void {
    this.#cancel();
    if (this.#stopped || !this.#running || this.#waiters.size === 0) return;
    const now = this.options.clock.now().getTime();
    let earliest = Infinity;
    let unknown = false;
    for (const list of this.#waiters.values()) {
      for (const { endAt } of list) {
        // An end time that passed unreported (clock skew) is re-polled with back-off.
        if (endAt !== undefined && endAt > now) earliest = Math.min(earliest, endAt);
        else unknown = true;
      }
    }
    const timer = new AbortController();
    this.#timer = timer;
    const backoff = Math.min((this.#idlePolls + 1) * BACKOFF_STEP_MS, BACKOFF_CEILING_MS);
    // Back-off is real time even when the service's clock is virtual: a skipped-time clock would
    // otherwise jump ahead with every poll while a callback is awaited.
    const sleeping =
      unknown && (earliest === Infinity || backoff < earliest - now)
        ? sleepMs(backoff, timer.signal)
        : this.options.clock.sleepUntil(new Date(earliest), timer.signal);
    sleeping.then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = undefined;
        void this.#poll();
      },
      () => undefined,
    );
  }

  async #poll(): Promise<void> {
    if (this.#stopped || !this.#running || this.#waiters.size === 0) return;
    this.#idlePolls++;
    this.#polling = true;
    try {
      await this.options.refresh();
    } catch {
      return; // a failed checkpoint ends the invocation on its own
    } finally {
      this.#polling = false;
    }
    this.#schedule();
  }
}

/** Whether an operation the handler waits on can go on: it ended, or its retry is due (READY). */
export function movedOn(op: CheckpointedOperation): boolean {
  return op.Status !== undefined && MOVED_ON.has(op.Status);
}

/** When the service will move the operation on by itself: a wait's end, a retry's time. */
export function endTimeOf(op: CheckpointedOperation): Date | undefined {
  const at =
    op.Type === "WAIT" ? op.WaitDetails?.ScheduledEndTimestamp : op.Type === "STEP" ? op.StepDetails?.NextAttemptTimestamp : undefined;
  if (at === undefined) return undefined;
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function sleepMs(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
