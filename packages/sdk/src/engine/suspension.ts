/**
 * Decides when an invocation may end PENDING (DESIGN invariant 3): no step body is running, no
 * checkpoint is queued or in flight, and at least one operation is blocked on time or an external
 * event. The check runs after the event loop has drained pending microtasks, so handler code that
 * is merely between two operations is never cut off. While a body runs, blocked operations may
 * move on in this invocation (see ServiceWaits) and are then unblocked.
 */
export class SuspensionTracker {
  #runningBodies = 0;
  #blocked = 0;
  #checkScheduled = false;
  #done = false;

  constructor(
    private readonly checkpointsIdle: () => boolean,
    private readonly suspend: () => void,
    /** Told when the first body starts running and when the last one ends. */
    private readonly onBodiesRunning?: (running: boolean) => void,
  ) {}

  bodyStarted(): void {
    if (this.#runningBodies++ === 0) this.onBodiesRunning?.(true);
  }

  bodyEnded(): void {
    if (--this.#runningBodies === 0) this.onBodiesRunning?.(false);
    this.changed();
  }

  /** An operation now waits for time or an external event; it cannot finish in this invocation. */
  blocked(): void {
    this.#blocked++;
    this.changed();
  }

  /** A blocked operation moved on (the service reported it while the invocation was alive). */
  unblocked(): void {
    this.#blocked--;
    this.changed();
  }

  stop(): void {
    this.#done = true;
  }

  /** Something that may allow suspension happened; re-check once the event loop settles. */
  changed(): void {
    if (this.#done || this.#checkScheduled || this.#blocked === 0) return;
    this.#checkScheduled = true;
    setImmediate(() => {
      this.#checkScheduled = false;
      if (this.#done) return;
      if (this.#blocked > 0 && this.#runningBodies === 0 && this.checkpointsIdle()) {
        this.#done = true;
        this.suspend();
      }
    });
  }
}
