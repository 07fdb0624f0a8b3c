/**
 * Runs async work one at a time per key (work for different keys runs concurrently). Stores use it
 * per execution, so a process never interleaves two reads or updates of the same record with its
 * own cache. A failure is returned to its caller only; the next work for the key runs regardless.
 * A key's entry is dropped once its last queued work settles, so idle keys cost no memory.
 */
export class KeyedSerialQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier work of `key` has settled; resolves or rejects as `work` does. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#tails.set(key, settled);
    void settled.then(() => {
      if (this.#tails.get(key) === settled) this.#tails.delete(key);
    });
    return next;
  }
}
