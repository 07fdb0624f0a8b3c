import { performance } from "node:perf_hooks";
import { SKIPS_TIME, VirtualClock } from "@cairn/sdk/orchestrator";
import { type OrchestratorClock } from "@cairn/sdk/service";

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
  fail: (error: Error) => void;
}

/** Virtual time running at real speed from `virtualStart`, never past `limit`. */
interface Following {
  virtualStart: number;
  realStart: number;
  limit: number;
}

/**
 * The clock of a skipped-time run. Time jumps instead of passing, and only while the execution
 * waits: the runner moves it to the next timer, or to the next test `sleep` that falls before it,
 * waking that sleeper first (so a callback "sent 1 s later" arrives before a 5 s wait ends). While
 * a test answers callbacks in real time (see callback-wakeups.ts) it can also run at real speed.
 */
export class SkippedTimeClock implements OrchestratorClock {
  /** Chained-invoke targets run on this clock too and share its time (see SharedVirtualTime). */
  readonly [SKIPS_TIME] = true;
  readonly #virtual = new VirtualClock();
  #sleepers: Sleeper[] = [];
  #seq = 0;
  #following: Following | undefined;
  #slept = false;

  /** Whether the test has slept on this clock: it then drives time itself, on the run's clock. */
  get slept(): boolean {
    return this.#slept;
  }

  #sleepCall: { promise: Promise<void>; resolve: () => void } | undefined;

  now(): Date {
    const following = this.#following;
    if (!following) return this.#virtual.now();
    const elapsed = performance.now() - following.realStart;
    return new Date(Math.min(following.virtualStart + Math.max(0, Math.floor(elapsed)), following.limit));
  }

  #closed: Error | undefined;

  /** Resolves when skipped time reaches now + `ms`; rejects once the run has ended (time stops then). */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((wake, fail) => {
      if (this.#closed) return fail(this.#closed);
      this.#slept = true;
      this.#sleepers.push({ at: this.now().getTime() + ms, seq: this.#seq++, wake, fail });
      this.#sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const call = this.#sleepCall;
      this.#sleepCall = undefined;
      call?.resolve();
    });
  }

  /** Resolves at the next `sleep` call: a test that sleeps on this clock has said when it acts. */
  nextSleepCall(): Promise<void> {
    if (!this.#sleepCall) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#sleepCall = { promise, resolve };
    }
    return this.#sleepCall.promise;
  }

  /** The run ended: no time will pass any more, so every sleeper is told so. */
  close(reason: Error): void {
    this.stopFollowing();
    this.#closed = reason;
    const sleepers = this.#sleepers;
    this.#sleepers = [];
    for (const sleeper of sleepers) sleeper.fail(reason);
  }

  /** When the earliest sleeper is due, if any sleeps. */
  nextSleeperAt(): number | undefined {
    return this.#sleepers[0]?.at;
  }

  /** Moves time to the earliest sleeper (never backwards) and wakes it. */
  wakeNextSleeper(): void {
    const sleeper = this.#sleepers.shift();
    if (!sleeper) return;
    this.stopFollowing();
    if (sleeper.at > this.#virtual.now().getTime()) this.#virtual.set(new Date(sleeper.at));
    sleeper.wake();
  }

  /**
   * Lets time pass at real speed from now on, up to `limit` (the next timer: reaching it is the
   * orchestrator's cue to fire it), until stopFollowing. Callback sends and heartbeats made
   * meanwhile are stamped with the time that has passed, as in real time.
   */
  followRealTime(limit: Date): void {
    this.stopFollowing();
    const virtualStart = this.#virtual.now().getTime();
    this.#following = { virtualStart, realStart: performance.now(), limit: Math.max(limit.getTime(), virtualStart) };
  }

  /** Freezes time again where real-speed time has brought it. */
  stopFollowing(): void {
    if (!this.#following) return;
    const reached = this.now();
    this.#following = undefined;
    this.#virtual.set(reached);
  }

  /** Jumps to `until`, waking every sleeper due on the way, in order. */
  async sleepUntil(until: Date, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.stopFollowing();
    while (this.#sleepers.length > 0 && (this.#sleepers[0] as Sleeper).at <= until.getTime()) this.wakeNextSleeper();
    await this.#virtual.sleepUntil(until, signal);
  }
}
