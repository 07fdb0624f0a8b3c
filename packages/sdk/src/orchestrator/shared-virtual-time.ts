import { VirtualClock, type OrchestratorClock } from "../service/clock.js";

/**
 * Marks an OrchestratorClock whose sleepUntil jumps instead of sleeping (virtual time, like
 * VirtualClock): loops that run on it share time through SharedVirtualTime.
 */
export const SKIPS_TIME: unique symbol = Symbol.for("cairn.skips-time");

function skipsTime(clock: OrchestratorClock): boolean {
  return clock instanceof VirtualClock || (clock as { [SKIPS_TIME]?: unknown })[SKIPS_TIME] === true;
}

/**
 * Several orchestration loops on one virtual clock — an execution and the durable executions its
 * chained invokes run — must see time pass as they would in real time: the clock may only jump
 * once every loop is asleep (or waiting for another loop), and only to the earliest wake-up
 * anyone asked for. Otherwise a loop sleeping until T+10 would drag a loop that wants T+5 past its
 * timer. Each loop joins as a member; a member is busy unless it sleeps or idles.
 */
export class SharedVirtualTime {
  readonly #members = new Set<TimeMember>();
  #checkScheduled = false;

  /** Shares `clock`, a clock that skips time (a VirtualClock, or one marked with {@link SKIPS_TIME}). */
  constructor(
    /** The virtual clock the members share. */
    readonly clock: OrchestratorClock,
  ) {}

  /** A new member, busy until it sleeps; it holds time back until it leaves. */
  join(): TimeMember {
    const member = new TimeMember(this);
    this.#members.add(member);
    return member;
  }

  /** @internal */
  leave(member: TimeMember): void {
    this.#members.delete(member);
    this.changed();
  }

  /** @internal Re-checks once pending work of the event loop has settled. */
  changed(): void {
    if (this.#checkScheduled) return;
    this.#checkScheduled = true;
    setImmediate(() => {
      this.#checkScheduled = false;
      this.#advance();
    });
  }

  #advance(): void {
    let earliest = Infinity;
    for (const member of this.#members) {
      if (member.busy) return;
      const until = member.wakeAt;
      if (until !== undefined && until < earliest) earliest = until;
    }
    if (earliest === Infinity) return;
    // A virtual clock's sleepUntil jumps at once; the promise only reports it.
    void this.clock.sleepUntil(new Date(earliest));
    for (const member of [...this.#members]) {
      const until = member.wakeAt;
      if (until !== undefined && until <= earliest) member.wake();
    }
  }
}

/** One loop's view of shared virtual time. */
export class TimeMember implements OrchestratorClock {
  #sleep: { until: number; resolve: () => void } | undefined;
  #idle = 0;
  #left = false;

  /** A member of `shared`; use {@link SharedVirtualTime.join} instead. */
  constructor(
    /** The shared time it belongs to. */
    readonly shared: SharedVirtualTime,
  ) {}

  /** The shared clock's time. */
  now(): Date {
    return this.shared.clock.now();
  }

  /** True unless the member sleeps, idles or has left: a busy member holds time back. */
  get busy(): boolean {
    return !this.#left && this.#sleep === undefined && this.#idle === 0;
  }

  /** @internal */
  get wakeAt(): number | undefined {
    return this.#sleep?.until;
  }

  /** @internal */
  wake(): void {
    const sleep = this.#sleep;
    this.#sleep = undefined;
    sleep?.resolve();
  }

  /**
   * Sleeps until `until`; the shared time jumps there once every member is asleep or idle and none
   * wants to wake earlier.
   */
  sleepUntil(until: Date, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (until.getTime() <= this.now().getTime()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.#sleep?.resolve !== done) return;
        this.#sleep = undefined;
        this.shared.changed();
        reject(signal?.reason);
      };
      const done = (): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.#sleep = { until: until.getTime(), resolve: done };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.shared.changed();
    });
  }

  /** Waits for `promise` (another member's work) without holding time back meanwhile. */
  async idleUntil<T>(promise: Promise<T>): Promise<T> {
    this.#idle++;
    this.shared.changed();
    try {
      return await promise;
    } finally {
      this.#idle--;
    }
  }

  /** Leaves the shared time for good (a finished loop); it no longer holds time back. */
  leave(): void {
    if (this.#left) return;
    this.#left = true;
    this.wake();
    this.shared.leave(this);
  }
}

/**
 * The clock an orchestration loop runs on: a member of a new shared time when `clock` skips time
 * (the loop then owns the member and must leave it), otherwise `clock` itself — a
 * member handed down by the loop that started this one, or a real clock, which needs no sharing.
 */
export function loopClock(clock: OrchestratorClock): { clock: OrchestratorClock; owned: TimeMember | undefined } {
  if (!(clock instanceof TimeMember) && skipsTime(clock)) {
    const member = new SharedVirtualTime(clock).join();
    return { clock: member, owned: member };
  }
  return { clock, owned: undefined };
}

/** The clock for a loop started by the loop on `clock`: a new member of the same shared time. */
export function childClock(clock: OrchestratorClock): { clock: OrchestratorClock; owned: TimeMember | undefined } {
  if (clock instanceof TimeMember) {
    const member = clock.shared.join();
    return { clock: member, owned: member };
  }
  return { clock, owned: undefined };
}
