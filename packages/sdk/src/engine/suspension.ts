/**
 * Decides when an invocation may end PENDING (DESIGN invariant 3): no step body is running, no
 * checkpoint is queued or in flight, and at least one operation is blocked on time or an external
 * event. The check runs after the event loop has drained pending microtasks, so handler code that
 * is merely between two operations is never cut off.
 */
export class SuspensionTracker {
  #runningBodies = 0;
  #blocked = 0;
  #checkScheduled = false;
  #done = false;

  constructor(
    private readonly checkpointsIdle: () => boolean,
    private readonly suspend: () => void,
  ) {}

  bodyStarted(): void {
    this.#runningBodies++;
  }

  bodyEnded(): void {
    this.#runningBodies--;
    this.changed();
  }

  /** An operation now waits for time or an external event; it cannot finish in this invocation. */
  blocked(): void {
    this.#blocked++;
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
