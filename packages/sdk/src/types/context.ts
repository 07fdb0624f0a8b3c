import type {
  BatchResult,
  MapBatchesConfig,
  MapBatchFunc,
  MapConfig,
  MapFunc,
  NamedParallelBranch,
  ParallelConfig,
  ParallelFunc,
} from "./batch.js";
import type {
  CallbackDeserializer,
  CreateCallbackConfig,
  CreateCallbackResult,
  WaitForCallbackConfig,
  WaitForCallbackSubmitterFunc,
} from "./callback.js";
import type { ChildConfig, ChildFunc } from "./child.js";
import type { Duration } from "./duration.js";
import type { DurablePromise } from "./durable-promise.js";
import type { DurableContextLogger, DurableLogger, LoggerConfig } from "./logger.js";
import type { DurablePromiseCombinators } from "./promise-combinators.js";
import type { AnySerdes } from "./serdes.js";
import type { StepConfig, StepFunc } from "./step.js";
import type { InvokeConfig } from "./invoke.js";
import type { WaitForConditionCheckFunc, WaitForConditionConfig } from "./wait-condition.js";

/** The Lambda context object handed to the handler (typed loosely: Cairn runs outside Lambda too). */
export interface LambdaContextLike {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
  [key: string]: unknown;
}

export interface SerdesConfig {
  /** Serdes used by operations that do not name their own (default: superjson). */
  defaultSerdes?: AnySerdes;
  /**
   * Reads callback payloads (createCallback, waitForCallback) that name no serdes of their own.
   * Default: the raw string as sent; `defaultSerdes` does not apply to callbacks.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any payload type, like AnySerdes
  defaultCallbackDeserializer?: CallbackDeserializer<any>;
}

type BranchResult<B> = B extends ParallelFunc<infer R> ? R : B extends NamedParallelBranch<infer R> ? R : never;

/**
 * What a durable handler uses to run operations that are checkpointed and replayed. `_TLogger` is
 * accepted so `DurableContext<MyLogger>` written for the AWS SDK compiles; it does not narrow `logger`.
 */
export interface DurableContext<_TLogger extends DurableLogger = DurableLogger> {
  readonly lambdaContext: LambdaContextLike;
  readonly logger: DurableContextLogger;
  readonly executionContext: { readonly durableExecutionArn: string };
  /**
   * Aborted when this context's result is no longer needed — e.g. a parallel branch or map item
   * after its batch completed early. Never aborted for the root context.
   */
  readonly signal: AbortSignal;

  step<T>(name: string | undefined, fn: StepFunc<T>, config?: StepConfig<T>): DurablePromise<T>;
  step<T>(fn: StepFunc<T>, config?: StepConfig<T>): DurablePromise<T>;

  wait(name: string | undefined, duration: Duration): DurablePromise<void>;
  wait(duration: Duration): DurablePromise<void>;

  runInChildContext<T>(name: string | undefined, fn: ChildFunc<T>, config?: ChildConfig<T>): DurablePromise<T>;
  runInChildContext<T>(fn: ChildFunc<T>, config?: ChildConfig<T>): DurablePromise<T>;

  /**
   * Creates a callback an external system completes (sendCallbackSuccess / sendCallbackFailure).
   * Resolves, once the callback is stored, to `[result, callbackId]`; awaiting `result` suspends
   * the execution until the callback completes. `result` rejects with a CallbackError subclass:
   * CallbackExternalError (failure sent) or CallbackTimeoutError (timeout or heartbeat timeout).
   */
  createCallback<TOutput = string>(
    name: string | undefined,
    config?: CreateCallbackConfig<TOutput>,
  ): DurablePromise<CreateCallbackResult<TOutput>>;
  createCallback<TOutput = string>(config?: CreateCallbackConfig<TOutput>): DurablePromise<CreateCallbackResult<TOutput>>;

  /**
   * Creates a callback, runs `submitter` (as a retried step) to hand its id to an external system,
   * and waits for the result, all as one WaitForCallback context. Rejects with a CallbackError:
   * CallbackExternalError, CallbackTimeoutError, or CallbackSubmitterError when the submitter
   * failed for good.
   */
  waitForCallback<TOutput = string>(
    name: string | undefined,
    submitter: WaitForCallbackSubmitterFunc,
    config?: WaitForCallbackConfig<TOutput>,
  ): DurablePromise<TOutput>;
  waitForCallback<TOutput = string>(
    submitter: WaitForCallbackSubmitterFunc,
    config?: WaitForCallbackConfig<TOutput>,
  ): DurablePromise<TOutput>;

  map<TInput, TOutput>(
    name: string | undefined,
    items: readonly TInput[],
    mapFunc: MapFunc<TInput, TOutput>,
    config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  map<TInput, TOutput>(
    items: readonly TInput[],
    mapFunc: MapFunc<TInput, TOutput>,
    config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;

  /**
   * Cairn addition: like map, but one child context processes a chunk of items (see
   * `itemBatcher`); the BatchResult still has one entry per input item.
   */
  mapBatches<TInput, TOutput>(
    name: string | undefined,
    items: readonly TInput[],
    batchFunc: MapBatchFunc<TInput, TOutput>,
    config: MapBatchesConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  mapBatches<TInput, TOutput>(
    items: readonly TInput[],
    batchFunc: MapBatchFunc<TInput, TOutput>,
    config: MapBatchesConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;

  parallel<TOutput>(
    name: string | undefined,
    branches: ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>,
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  parallel<TOutput>(
    branches: ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>,
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  parallel<Branches extends readonly unknown[]>(
    name: string | undefined,
    branches: Branches,
    config?: ParallelConfig<BranchResult<Branches[number]>>,
  ): DurablePromise<BatchResult<BranchResult<Branches[number]>>>;
  parallel<Branches extends readonly unknown[]>(
    branches: Branches,
    config?: ParallelConfig<BranchResult<Branches[number]>>,
  ): DurablePromise<BatchResult<BranchResult<Branches[number]>>>;

  /**
   * Polls: runs `check` on the state, then asks `config.waitStrategy` whether to stop (resolving
   * to the state) or check again after a delay, during which the execution suspends. Each
   * check's state is checkpointed, so polling resumes where it was after a crash. Rejects with
   * WaitForConditionError when a check throws or the strategy gives up (e.g. maxAttempts).
   */
  waitForCondition<T>(name: string | undefined, check: WaitForConditionCheckFunc<T>, config: WaitForConditionConfig<T>): DurablePromise<T>;
  waitForCondition<T>(check: WaitForConditionCheckFunc<T>, config: WaitForConditionConfig<T>): DurablePromise<T>;

  /**
   * Invokes another function (durable or not) by its function id and resolves to its result; the
   * execution suspends while the target runs. Rejects with InvokeError (its `cause` carries the
   * target's error type, message and data) when the target fails, times out or is stopped.
   */
  invoke<TInput, TOutput>(name: string, funcId: string, input?: TInput, config?: InvokeConfig<TInput, TOutput>): DurablePromise<TOutput>;
  invoke<TInput, TOutput>(funcId: string, input?: TInput, config?: InvokeConfig<TInput, TOutput>): DurablePromise<TOutput>;

  /** Promise.all / allSettled / any / race over durable promises, checkpointed so replay agrees. */
  readonly promise: DurablePromiseCombinators;

  configureLogger(config: LoggerConfig): void;
  configureSerdes(config: SerdesConfig): void;
}

/** A durable handler: ordinary async code that receives the event and a DurableContext. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event and result types are the handler's own
export type DurableExecutionHandler<TEvent = any, TResult = any, _TLogger extends DurableLogger = DurableLogger> = (
  event: TEvent,
  context: DurableContext,
) => Promise<TResult>;
