// Bounded concurrency, for work that must not flood what it shares: the file store's checkpoint
// syncs share Node's thread pool (four threads unless the application sets UV_THREADPOOL_SIZE,
// first come, first served) with its commits, and a hundred syncs issued at once stalled every
// commit behind them; @cairn/dynamodb and @cairn/sources bound their requests the same way.
import { shownValue } from "../errors/shown-value.js";

/**
 * Maps `values` with `map`, at most `limit` calls at once, started in order; resolves with the
 * results in the order of `values`. On the first failure it starts nothing more and rejects with
 * that failure (calls already running are left to finish, their results dropped).
 */
export function mapAtMost<T, R>(values: readonly T[], limit: number, map: (value: T) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`mapAtMost: limit must be a positive integer, got ${shownValue(limit)}`);
  return new Promise<R[]>((resolve, reject) => {
    const results = new Array<R>(values.length);
    let started = 0;
    let finished = 0;
    let failed = false;
    const startNext = (): void => {
      if (failed) return;
      if (finished === values.length) {
        resolve(results);
        return;
      }
      if (started === values.length) return;
      const index = started++;
      let running: Promise<R>;
      try {
        running = map(values[index]!);
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (result) => {
          results[index] = result;
          finished++;
          startNext();
        },
        (error: unknown) => {
          failed = true;
          reject(error);
        },
      );
    };
    if (values.length === 0) resolve(results);
    for (let i = 0; i < Math.min(limit, values.length); i++) startNext();
  });
}
