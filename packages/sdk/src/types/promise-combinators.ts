import type { DurablePromise } from "./durable-promise.js";

/**
 * `ctx.promise`: Promise.all / allSettled / any / race over durable promises that are already
 * running. Each combinator is itself a durable operation (a child context): its outcome is
 * checkpointed when it settles, so a replay returns the same value — the same race winner — even
 * if by then more of the inputs have finished. The inputs are not controlled by it: for bounded
 * concurrency or completion policies use `ctx.map` / `ctx.parallel`.
 */
export interface DurablePromiseCombinators {
  /** Every input's value, in input order; rejects with PromiseCombinatorError at the first rejection. */
  all<TOutput>(name: string | undefined, promises: PromiseLike<TOutput>[]): DurablePromise<TOutput[]>;
  /** Unnamed: as the named form of `all`. */
  all<TOutput>(promises: PromiseLike<TOutput>[]): DurablePromise<TOutput[]>;
  /** Every input's outcome once all have settled; rejections are rebuilt as errors on replay too. */
  allSettled<TOutput>(name: string | undefined, promises: PromiseLike<TOutput>[]): DurablePromise<PromiseSettledResult<TOutput>[]>;
  /** Unnamed: as the named form of `allSettled`. */
  allSettled<TOutput>(promises: PromiseLike<TOutput>[]): DurablePromise<PromiseSettledResult<TOutput>[]>;
  /** The first value; rejects with PromiseCombinatorError (cause: AggregateError) if every input rejects. */
  any<TOutput>(name: string | undefined, promises: PromiseLike<TOutput>[]): DurablePromise<TOutput>;
  /** Unnamed: as the named form of `any`. */
  any<TOutput>(promises: PromiseLike<TOutput>[]): DurablePromise<TOutput>;
  /** The outcome of the first input to settle; a rejection is a PromiseCombinatorError whose `cause` is the input's. */
  race<TOutput>(name: string | undefined, promises: PromiseLike<TOutput>[]): DurablePromise<TOutput>;
  /** Unnamed: as the named form of `race`. */
  race<TOutput>(promises: PromiseLike<TOutput>[]): DurablePromise<TOutput>;
}
