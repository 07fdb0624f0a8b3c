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

/** Set while quietDurable makes a DurablePromise (the constructor then adds no rejection handler). */
let quiet = false;

/**
 * A DurablePromise of `promise`, which cannot reject (a replayed wait's end): made without the
 * rejection handler every other one gets, which a map of waiting items would otherwise hold (a
 * promise and a reaction) for each of them until the invocation ends. Internal to the engine.
 */
export function quietDurable<T>(promise: Promise<T>): DurablePromise<T> {
  quiet = true;
  try {
    return new DurablePromise(promise);
  } finally {
    quiet = false;
  }
}

/**
 * The promise a durable operation returns. The operation starts when it is called (its id is
 * fixed then), not when it is awaited. An operation whose promise is never awaited does not raise
 * an unhandled rejection; its failure stays in the checkpoint.
 *
 * Handlers may also make one, as with the AWS SDK, from an executor that runs the first time the
 * promise is awaited or chained (`new DurablePromise(() => ctx.step(...))`), for instance to
 * hand a lazily started piece of work to `ctx.promise.all`.
 *
 * @example
 * ```ts
 * const later = new DurablePromise(async () => (await ctx.step("a", fetchA)) + 1);
 * later.isExecuted; // false: nothing ran yet
 * const value = await later; // runs the executor now
 * ```
 */
export class DurablePromise<T> implements Promise<T> {
  /** The running promise; the executor until it first runs, when one was given. */
  #source: Promise<T> | (() => PromiseLike<T>);
  #executed = false;

  /**
   * @param executor run the first time the promise is awaited or chained, and only then (as on
   * the AWS SDK). The engine passes the promise of an operation already under way instead (any
   * promise or thenable is taken as already started).
   */
  constructor(executor: (() => PromiseLike<T>) | PromiseLike<T>) {
    if (typeof executor === "function") {
      this.#source = executor;
      return;
    }
    if (typeof (executor as PromiseLike<T> | undefined)?.then !== "function") {
      throw new TypeError(
        `new DurablePromise(executor): pass a function that returns a promise, e.g. new DurablePromise(() => ctx.step(work)); got ${executor === null ? "null" : typeof executor}.`,
      );
    }
    const promise = executor instanceof Promise ? (executor as Promise<T>) : Promise.resolve(executor);
    this.#source = promise;
    // Mark as handled: a durable failure is recorded, so an un-awaited one must not crash the process.
    if (!quiet) promise.catch(ignore);
  }

  /** The promise to chain on, running the executor the first time. */
  #started(): Promise<T> {
    this.#executed = true;
    used(this);
    const source = this.#source;
    if (typeof source !== "function") return source;
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(source());
    } catch (error) {
      promise = Promise.reject(error);
    }
    this.#source = promise;
    return promise;
  }

  /** As `Promise.prototype.then`. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#started().then(onfulfilled, onrejected);
  }

  /** As `Promise.prototype.catch`. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#started().catch(onrejected);
  }

  /** As `Promise.prototype.finally`. */
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#started().finally(onfinally);
  }

  /** `"DurablePromise"`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return "DurablePromise";
  }

  /** Whether the promise was awaited or chained yet (for one made from an executor: whether it ran). */
  get isExecuted(): boolean {
    return this.#executed;
  }
}
