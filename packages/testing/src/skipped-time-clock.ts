import { SKIPS_TIME, VirtualClock, type OrchestratorClock } from "@cairn/sdk";

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
  fail: (error: Error) => void;
}

/**
 * The clock of a skipped-time run. Time jumps instead of passing, and only while the execution
 * waits: the runner moves it to the next timer, or to the next test `sleep` that falls before it,
 * waking that sleeper first (so a callback "sent 1 s later" arrives before a 5 s wait ends).
 */
export class SkippedTimeClock implements OrchestratorClock {
  /** Chained-invoke targets run on this clock too and share its time (see SharedVirtualTime). */
  readonly [SKIPS_TIME] = true;
  readonly #virtual = new VirtualClock();
  #sleepers: Sleeper[] = [];
  #seq = 0;

  now(): Date {
    return this.#virtual.now();
  }

  #closed: Error | undefined;

  /** Resolves when skipped time reaches now + `ms`; rejects once the run has ended (time stops then). */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((wake, fail) => {
      if (this.#closed) return fail(this.#closed);
      this.#sleepers.push({ at: this.#virtual.now().getTime() + ms, seq: this.#seq++, wake, fail });
      this.#sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    });
  }

  /** The run ended: no time will pass any more, so every sleeper is told so. */
  close(reason: Error): void {
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
    if (sleeper.at > this.#virtual.now().getTime()) this.#virtual.set(new Date(sleeper.at));
    sleeper.wake();
  }

  /** Jumps to `until`, waking every sleeper due on the way, in order. */
  async sleepUntil(until: Date, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    while (this.#sleepers.length > 0 && (this.#sleepers[0] as Sleeper).at <= until.getTime()) this.wakeNextSleeper();
    await this.#virtual.sleepUntil(until, signal);
  }
}
