// One function for every operation's promise rather than a new closure each.
const ignore = (): undefined => undefined;

// Who wants to know when a promise is first awaited or chained (see onFirstUse). Module-private so
// the public class gains no member for it.
const firstUseListeners = new WeakMap<object, () => void>();

/**
 * Calls `listener` the first time `promise` is awaited, chained or handed to a combinator (which
 * calls its `then`). Internal: the root context uses it to name operations a handler never awaited.
 */
export function onFirstUse(promise: DurablePromise<unknown>, listener: () => void): void {
  firstUseListeners.set(promise, listener);
}

function used(promise: object): void {
  const listener = firstUseListeners.get(promise);
  if (listener === undefined) return;
  firstUseListeners.delete(promise);
  listener();
}

/**
 * The promise a durable operation returns. The operation starts when it is called (its id is
 * fixed then), not when it is awaited. An operation whose promise is never awaited does not raise
 * an unhandled rejection; its failure stays in the checkpoint.
 */
export class DurablePromise<T> implements PromiseLike<T> {
  readonly #promise: Promise<T>;

  /** Wraps the operation's promise (the engine creates these; handlers only await them). */
  constructor(promise: Promise<T>) {
    this.#promise = promise;
    // Mark as handled: a durable failure is recorded, so an un-awaited one must not crash the process.
    promise.catch(ignore);
  }

  /** As `Promise.prototype.then`. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    used(this);
    return this.#promise.then(onfulfilled, onrejected);
  }

  /** As `Promise.prototype.catch`. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    used(this);
    return this.#promise.catch(onrejected);
  }

  /** As `Promise.prototype.finally`. */
  finally(onfinally?: (() => void) | null): Promise<T> {
    used(this);
    return this.#promise.finally(onfinally);
  }

  /** `"DurablePromise"`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return "DurablePromise";
  }
}
