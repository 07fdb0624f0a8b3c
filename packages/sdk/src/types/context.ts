import type { BatchResult, MapConfig, MapFunc, NamedParallelBranch, ParallelConfig, ParallelFunc } from "./batch.js";
import type { ChildConfig, ChildFunc } from "./child.js";
import type { Duration } from "./duration.js";
import type { DurablePromise } from "./durable-promise.js";
import type { DurableLogger, LoggerConfig } from "./logger.js";
import type { AnySerdes } from "./serdes.js";
import type { StepConfig, StepFunc } from "./step.js";

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
}

type BranchResult<B> = B extends ParallelFunc<infer R> ? R : B extends NamedParallelBranch<infer R> ? R : never;

/** What a durable handler uses to run operations that are checkpointed and replayed. */
export interface DurableContext {
  readonly lambdaContext: LambdaContextLike;
  readonly logger: DurableLogger;
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

  configureLogger(config: LoggerConfig): void;
  configureSerdes(config: SerdesConfig): void;
}

/** A durable handler: ordinary async code that receives the event and a DurableContext. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event and result types are the handler's own
export type DurableExecutionHandler<TEvent = any, TResult = any> = (
  event: TEvent,
  context: DurableContext,
) => Promise<TResult>;
