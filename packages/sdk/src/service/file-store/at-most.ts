// Background syncs that leave room for commits. Node's fs calls share one thread pool (four
// threads unless the application sets UV_THREADPOOL_SIZE), first come, first served: a checkpoint
// that issued its hundred log fdatasyncs at once queued every commit's fdatasync behind them, and
// commits stalled for tens of milliseconds while it ran.

/**
 * Runs `work` on each of `items`, at most `limit` at once, in order. Resolves once all have
 * finished; on the first failure starts nothing more and rejects with it (work already running
 * is left to finish).
 */
export function forEachAtMost<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`forEachAtMost: limit must be a positive integer, got ${limit}`);
  return new Promise<void>((resolve, reject) => {
    let started = 0;
    let finished = 0;
    let failed = false;
    const startNext = (): void => {
      if (failed) return;
      if (finished === items.length) {
        resolve();
        return;
      }
      if (started === items.length) return;
      const item = items[started++]!;
      let running: Promise<void>;
      try {
        running = work(item);
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        () => {
          finished++;
          startNext();
        },
        (error: unknown) => {
          failed = true;
          reject(error);
        },
      );
    };
    if (items.length === 0) resolve();
    for (let i = 0; i < Math.min(limit, items.length); i++) startNext();
  });
}
