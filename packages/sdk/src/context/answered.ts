/**
 * The promise of an operation that answered from its checkpoint as it was called: fulfilled from
 * the start. ContextImpl hands it out without following it as an unawaited operation, which a
 * promise that has settled before the handler could return is not (see UnawaitedOperations): on a
 * replay of thousands of operations that saves a closure, a promise reaction and a weak-map entry
 * each.
 */
export class Answered<T> {
  constructor(
    /** Fulfilled already. */
    readonly promise: Promise<T>,
  ) {}
}

/**
 * The promise of an operation that cannot reject (a replayed wait still open: the engine's promise
 * for its end). ContextImpl follows it as any other, but hands it out without a rejection handler
 * of its own (see quietDurable).
 */
export class Quiet<T> {
  constructor(
    /** Settles only by fulfilling, if ever. */
    readonly promise: Promise<T>,
  ) {}
}
