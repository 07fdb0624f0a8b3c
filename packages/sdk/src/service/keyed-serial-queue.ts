/**
 * Runs async work one at a time per key (work for different keys runs concurrently). Stores use it
 * per execution, so a process never interleaves two reads or updates of the same record with its
 * own cache. A failure is returned to its caller only; the next work for the key runs regardless.
 * A key's entry is dropped once its last queued work settles, so idle keys cost no memory.
 *
 * Work for a key with nothing queued starts at once, inside `run` (a store's common case: one
 * update at a time per execution); work queued behind other work starts when that has settled.
 */
export class KeyedSerialQueue {
  /** Keys with work running: the work waiting behind it, oldest first. */
  readonly #waiting = new Map<string, (() => void)[]>();

  /** Runs `work` after every earlier work of `key` has settled; resolves or rejects as `work` does. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const waiting = this.#waiting.get(key);
    if (waiting === undefined) {
      this.#waiting.set(key, []);
      return this.#start(key, work);
    }
    return new Promise<T>((resolve, reject) => {
      waiting.push(() => this.#start(key, work).then(resolve, reject));
    });
  }

  #start<T>(key: string, work: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      running = Promise.reject(error);
    }
    const next = (): void => {
      const waiting = this.#waiting.get(key)!;
      const first = waiting.shift();
      if (first) first();
      else this.#waiting.delete(key);
    };
    running.then(next, next);
    return running;
  }
}
