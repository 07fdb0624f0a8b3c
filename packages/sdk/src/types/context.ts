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
import type { DistributedMapConfig, DistributedMapDefinition, DistributedMapResult } from "./distributed-map.js";
import type { WaitForConditionCheckFunc, WaitForConditionConfig } from "./wait-condition.js";

/** The Lambda context object handed to the handler (typed loosely: Cairn runs outside Lambda too). */
export interface LambdaContextLike {
  /** The invocation's request id; durable log lines carry it as `requestId`. */
  awsRequestId?: string;
  /** Name of the running function. */
  functionName?: string;
  /**
   * Milliseconds left before the invocation times out. When present, Cairn starts no new work
   * once less than `yieldMarginMs` is left and ends the invocation so the next one carries on,
   * rather than being killed mid-step.
   */
  getRemainingTimeInMillis?: () => number;
  /** Anything else the platform puts on its context object. */
  [key: string]: unknown;
}

/** Execution-wide serdes defaults, set with {@link DurableContext.configureSerdes}. */
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

/** The result type of one parallel branch: what its function (or its `{ func }`) resolves to. */
export type BranchResult<B> = B extends ParallelFunc<infer R> ? R : B extends NamedParallelBranch<infer R> ? R : never;

/**
 * What a durable handler uses to run operations that are checkpointed and replayed. `_TLogger` is
 * accepted so `DurableContext<MyLogger>` written for the AWS SDK compiles; it does not narrow `logger`.
 */
export interface DurableContext<_TLogger extends DurableLogger = DurableLogger> {
  /** The platform's context object for this invocation (on Lambda, the Lambda context). */
  readonly lambdaContext: LambdaContextLike;
  /**
   * A structured logger whose lines carry the execution ARN and, inside a child context, the
   * context's operation id and name. Replay-aware by default: a line is written once per real run
   * of the code that logs it, not again each time the handler replays past it (see
   * {@link DurableContext.configureLogger}).
   *
   * @example
   * ```ts
   * ctx.logger.info("order received", { orderId: event.orderId }); // once, not on every replay
   * ```
   */
  readonly logger: DurableContextLogger;
  /** Identifies the execution this context belongs to. */
  readonly executionContext: {
    /** The execution's ARN (or the id the local runner, CLI or store gave it); stable across invocations. */
    readonly durableExecutionArn: string;
  };
  /**
   * Aborted when this context's result is no longer needed — e.g. a parallel branch or map item
   * after its batch completed early. Never aborted for the root context.
   */
  readonly signal: AbortSignal;

  /**
   * Runs `fn` once and checkpoints its result, so that replays and later invocations get the
   * stored result without running `fn` again. Put anything non-deterministic (clock, random
   * numbers, network, environment) in a step.
   *
   * Checkpointed: START as the body begins (stored before it runs only for
   * {@link StepSemantics.AtMostOncePerRetry}), then SUCCEED with the serialized result, RETRY
   * with the next attempt's delay, or FAIL. The promise resolves only after the result is stored,
   * and to the value read back through the serdes, so the first run sees what a replay sees.
   *
   * After a crash: a stored result is never recomputed. An attempt that started but stored no
   * result runs again under the default at-least-once semantics; at-most-once, it is not re-run
   * but fails with {@link StepInterruptedError} and the retry strategy decides. A retry waits for
   * its delay as a checkpointed timer: the execution may suspend meanwhile.
   *
   * Rejects with {@link StepError} once the retry strategy gives up (default: 6 attempts, see
   * {@link retryPresets}); its `cause` is the body's error rebuilt from the checkpoint (name,
   * message, `errorData`). A result that cannot be serialized or is larger than 256 KiB fails the
   * step without retrying. Invalid arguments reject with {@link ValidationError} before anything
   * is written. Do not call `ctx` operations inside `fn` ({@link ContextUsageError}): use
   * {@link DurableContext.runInChildContext} to group operations.
   *
   * @param name Names the operation in checkpoints, history and logs; keep it stable across replays.
   * @param fn The work; receives the attempt number, a logger and an abort signal.
   * @param config Retry strategy, semantics, serdes and sub-type.
   * @example
   * ```ts
   * const charge = await ctx.step("charge-card", async ({ attempt }) => payments.charge(order, { attempt }), {
   *   retryStrategy: createRetryStrategy({ maxAttempts: 3 }),
   * });
   * ```
   */
  step<T>(name: string | undefined, fn: StepFunc<T>, config?: StepConfig<T>): DurablePromise<T>;
  /** An unnamed step: as {@link DurableContext.step} with a name, identified by position only. */
  step<T>(fn: StepFunc<T>, config?: StepConfig<T>): DurablePromise<T>;

  /**
   * Waits for `duration` without holding a process: the wait is checkpointed (START with its
   * duration) and the service completes it when the time is up. If nothing else in the handler
   * can make progress, the invocation ends PENDING and a later invocation replays up to here and
   * carries on. A crash does not restart the wait: it keeps its original end time.
   *
   * Rejects with {@link ValidationError} (nothing written) unless `duration` is a whole number of
   * seconds, at least 1.
   *
   * @param name Names the operation; keep it stable across replays.
   * @param duration How long to wait, e.g. `{ minutes: 5 }`.
   * @example
   * ```ts
   * await ctx.wait("cooling-off", { days: 1 });
   * ```
   */
  wait(name: string | undefined, duration: Duration): DurablePromise<void>;
  /** An unnamed wait: as {@link DurableContext.wait} with a name. */
  wait(duration: Duration): DurablePromise<void>;

  /**
   * Runs `fn` with a child context of its own: a group of operations checkpointed as one CONTEXT
   * operation, whose operations get ids under it (`2-1`, `2-2`, ...). Use it to compose several
   * steps and waits into one named unit, or to run groups side by side.
   *
   * Checkpointed: START, then SUCCEED with the serialized result or FAIL. Once finished, replay
   * returns the stored result (or throws the stored error) without entering `fn` at all; an
   * unfinished child context re-runs `fn`, whose operations answer from their own checkpoints.
   * A result larger than 256 KiB is not stored: replay rebuilds it by re-running `fn` against
   * its children's checkpoints (no step runs twice).
   *
   * Rejects with {@link ChildContextError}; its `cause` chain holds what `fn` threw (e.g. a
   * {@link StepError}). Inside `fn`, call operations on the child context it receives, not on
   * the enclosing one ({@link ContextUsageError}).
   *
   * @param name Names the operation; keep it stable across replays.
   * @param fn The group of operations; receives the child context.
   * @param config Serdes of the result and sub-type.
   * @example
   * ```ts
   * const shipment = await ctx.runInChildContext("ship", async (child) => {
   *   const label = await child.step("label", async () => carrier.createLabel(order));
   *   await child.wait("pickup-window", { hours: 2 });
   *   return child.step("pickup", async () => carrier.schedulePickup(label));
   * });
   * ```
   */
  runInChildContext<T>(name: string | undefined, fn: ChildFunc<T>, config?: ChildConfig<T>): DurablePromise<T>;
  /** An unnamed child context: as {@link DurableContext.runInChildContext} with a name. */
  runInChildContext<T>(fn: ChildFunc<T>, config?: ChildConfig<T>): DurablePromise<T>;

  /**
   * Creates a callback an external system completes (sendCallbackSuccess / sendCallbackFailure /
   * heartbeat, with the callback id). Resolves, once the callback is stored, to
   * `[result, callbackId]`; awaiting `result` suspends the execution until the callback
   * completes, and nothing runs meanwhile. Code between the two still runs, so the id can be
   * handed out first; prefer {@link DurableContext.waitForCallback} when handing it out is one
   * step.
   *
   * Checkpointed: the CALLBACK operation's START (its id is the service's, the same on every
   * replay); the service stores the outcome when the external system answers. The success payload
   * is kept as sent and decoded by `config.serdes` (default: the raw string).
   *
   * `result` rejects with a {@link CallbackError}: {@link CallbackExternalError} (a failure was
   * sent) or {@link CallbackTimeoutError} (timeout or heartbeat timeout).
   *
   * @param name Names the operation; keep it stable across replays.
   * @param config Timeouts, payload deserializer and sub-type.
   * @example
   * ```ts
   * const [approval, callbackId] = await ctx.createCallback<string>("approval", { timeout: { days: 2 } });
   * await ctx.step("ask", async () => chat.post(`Approve order ${event.orderId}? id=${callbackId}`));
   * const answer = await approval; // suspends until someone answers
   * ```
   */
  createCallback<TOutput = string>(
    name: string | undefined,
    config?: CreateCallbackConfig<TOutput>,
  ): DurablePromise<CreateCallbackResult<TOutput>>;
  /** An unnamed callback: as {@link DurableContext.createCallback} with a name. */
  createCallback<TOutput = string>(config?: CreateCallbackConfig<TOutput>): DurablePromise<CreateCallbackResult<TOutput>>;

  /**
   * Creates a callback, runs `submitter` to hand its id to an external system, and waits for the
   * result, all as one CONTEXT operation (sub-type WaitForCallback) holding the CALLBACK and the
   * submitter's STEP. The execution suspends while it waits.
   *
   * The submitter runs as a step: once it succeeded it is never run again, so a replay or a crash
   * does not ask twice; it is retried by `config.retryStrategy` (default: the step default).
   *
   * Rejects with a {@link CallbackError}: {@link CallbackExternalError} (a failure was sent),
   * {@link CallbackTimeoutError}, or {@link CallbackSubmitterError} at once when the submitter
   * gave up (nobody was told about the callback, so it does not wait).
   *
   * @param name Names the operation; keep it stable across replays.
   * @param submitter Hands the callback id out (sends a message, calls an API).
   * @param config Timeouts, submitter retries and payload deserializer.
   * @example
   * ```ts
   * const decision = await ctx.waitForCallback<{ approved: boolean }>(
   *   "manager-approval",
   *   async (callbackId) => chat.post(`Approve order ${event.orderId}? id=${callbackId}`),
   *   { timeout: { days: 2 }, serdes: { deserialize: async (data) => JSON.parse(data ?? "null") } },
   * );
   * ```
   */
  waitForCallback<TOutput = string>(
    name: string | undefined,
    submitter: WaitForCallbackSubmitterFunc,
    config?: WaitForCallbackConfig<TOutput>,
  ): DurablePromise<TOutput>;
  /** An unnamed waitForCallback: as {@link DurableContext.waitForCallback} with a name. */
  waitForCallback<TOutput = string>(
    submitter: WaitForCallbackSubmitterFunc,
    config?: WaitForCallbackConfig<TOutput>,
  ): DurablePromise<TOutput>;

  /**
   * Runs `mapFunc` over `items`, each item in a child context of its own (sub-type MapIteration,
   * or none with `nesting: FLAT`), at most `maxConcurrency` at a time, and resolves to a
   * {@link BatchResult} with one entry per started item.
   *
   * Each item's operations are checkpointed on their own; the completed map is checkpointed as a
   * small summary (completion reason, one status per item). Replay rebuilds the same BatchResult
   * from the checkpoints without running any item; an interrupted map resumes where it was:
   * finished items are not re-run.
   *
   * Failed items do not reject the promise: inspect the result or call
   * {@link BatchResult.throwIfError}. By default the batch completes at the first failure
   * (`completionConfig` changes that); items still running then see their `signal` abort and
   * end STARTED. Invalid config rejects with {@link ValidationError} before anything is written.
   *
   * @param name Names the map operation; keep it stable across replays.
   * @param items The input; each item is passed to `mapFunc` with its index.
   * @param mapFunc Processes one item, with the item's child context.
   * @param config Concurrency, completion, naming, serdes, nesting, per-item timeout and ordering.
   * @example
   * ```ts
   * const fetched = await ctx.map("fetch", event.ids, async (item, id) => item.step("load", () => load(id)), {
   *   maxConcurrency: 5,
   *   itemNamer: (id) => `id-${id}`,
   * });
   * const rows = fetched.getResults();
   * ```
   */
  map<TInput, TOutput>(
    name: string | undefined,
    items: readonly TInput[],
    mapFunc: MapFunc<TInput, TOutput>,
    config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  /** An unnamed map: as {@link DurableContext.map} with a name. */
  map<TInput, TOutput>(
    items: readonly TInput[],
    mapFunc: MapFunc<TInput, TOutput>,
    config?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;

  /**
   * Cairn addition (not in the AWS SDK): like {@link DurableContext.map}, but one child context
   * processes a chunk of items, grouped in input order by `config.itemBatcher` — e.g. 25 items
   * per DynamoDB BatchWriteItem. A chunk is retried and timed out as a unit; the
   * {@link BatchResult} still has one entry per input item, so completion thresholds and
   * `toSqsBatchResponse` count items.
   *
   * Checkpointed and replayed as map: one MapIteration context per chunk. A chunk whose function
   * throws (after its steps' retries) or returns a different number of results fails every item
   * of the chunk. An item larger than `maxBytesPerBatch` rejects with {@link ValidationError}
   * before anything runs.
   *
   * @param name Names the map operation; keep it stable across replays.
   * @param items The input.
   * @param batchFunc Processes one chunk and returns one result per item, in order.
   * @param config The chunking (`itemBatcher`, required) and the options map has.
   * @example
   * ```ts
   * const written = await ctx.mapBatches("write", rows, (chunk, batch) => chunk.step("put", () => table.batchWrite(batch)), {
   *   itemBatcher: { maxItemsPerBatch: 25 },
   * });
   * ```
   */
  mapBatches<TInput, TOutput>(
    name: string | undefined,
    items: readonly TInput[],
    batchFunc: MapBatchFunc<TInput, TOutput>,
    config: MapBatchesConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  /** Unnamed: as {@link DurableContext.mapBatches} with a name. */
  mapBatches<TInput, TOutput>(
    items: readonly TInput[],
    batchFunc: MapBatchFunc<TInput, TOutput>,
    config: MapBatchesConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;

  /**
   * Runs `branches` side by side, each in a child context of its own (sub-type ParallelBranch,
   * or none with `nesting: FLAT`), and resolves to a {@link BatchResult} with one entry per
   * started branch, in branch order.
   *
   * Checkpointed and replayed as {@link DurableContext.map}: each branch's operations on their
   * own, the completed batch as a summary; replay rebuilds the result without running a branch,
   * and an interrupted parallel re-runs only unfinished branches. A branch that waits does not
   * stop a sibling that is computing.
   *
   * Failed branches do not reject the promise: inspect the result or call
   * {@link BatchResult.throwIfError}. By default the first failure completes the batch; use
   * `completionConfig` (e.g. {@link minSuccessful}) for a quorum. Branches still running when it
   * completes see their `signal` abort and end STARTED.
   *
   * @param name Names the parallel operation; keep it stable across replays.
   * @param branches Functions, or `{ name, func }` to name a branch's context.
   * @param config Concurrency, completion, serdes, nesting and per-branch timeout.
   * @example
   * ```ts
   * const checks = await ctx.parallel("checks", [
   *   { name: "fraud", func: (b) => b.step("score", () => fraud.score(order)) },
   *   { name: "stock", func: (b) => b.step("reserve", () => stock.reserve(order)) },
   * ]);
   * checks.throwIfError();
   * ```
   */
  parallel<TOutput>(
    name: string | undefined,
    branches: ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>,
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  /** An unnamed parallel: as {@link DurableContext.parallel} with a name. */
  parallel<TOutput>(
    branches: ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>,
    config?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>>;
  /** Branches with different result types: the result type is the union of theirs. */
  parallel<Branches extends readonly unknown[]>(
    name: string | undefined,
    branches: Branches,
    config?: ParallelConfig<BranchResult<Branches[number]>>,
  ): DurablePromise<BatchResult<BranchResult<Branches[number]>>>;
  /** Unnamed, branches with different result types. */
  parallel<Branches extends readonly unknown[]>(
    branches: Branches,
    config?: ParallelConfig<BranchResult<Branches[number]>>,
  ): DurablePromise<BatchResult<BranchResult<Branches[number]>>>;

  /**
   * Polls: runs `check` on the state, then asks `config.waitStrategy` whether to stop (resolving
   * to the state) or check again after a delay, during which the execution suspends (no process
   * runs). Each check's returned state is checkpointed, so polling resumes from the last stored
   * state after a crash; a check interrupted before its state was stored runs again (at least
   * once).
   *
   * Rejects with {@link WaitForConditionError} when a check throws (checks are not retried) or
   * the strategy gives up (e.g. `maxAttempts`); its `cause` says which. A missing check,
   * strategy or `initialState` rejects with {@link ValidationError}.
   *
   * @param name Names the operation; keep it stable across replays.
   * @param check Looks at the outside world and returns the next state.
   * @param config The initial state, the wait strategy (see {@link createWaitStrategy}) and the state's serdes.
   * @example
   * ```ts
   * const done = await ctx.waitForCondition("export", async (state) => exports.status(state.id), {
   *   initialState: { id: event.exportId, state: "SUBMITTED" },
   *   waitStrategy: createWaitStrategy({ shouldContinuePolling: (s) => s.state !== "DONE", maxAttempts: 50 }),
   * });
   * ```
   */
  waitForCondition<T>(name: string | undefined, check: WaitForConditionCheckFunc<T>, config: WaitForConditionConfig<T>): DurablePromise<T>;
  /** Unnamed: as {@link DurableContext.waitForCondition} with a name. */
  waitForCondition<T>(check: WaitForConditionCheckFunc<T>, config: WaitForConditionConfig<T>): DurablePromise<T>;

  /**
   * Invokes another function (durable or not) by its function id and resolves to its result; the
   * execution suspends while the target runs, however long it takes. Checkpointed as a
   * CHAINED_INVOKE operation (START with the encoded input); the target is started once, and
   * replay returns its stored result without invoking it again.
   *
   * Rejects with {@link InvokeError} (its `cause` carries the target's error type, message and
   * data) when the target fails, times out or is stopped. An empty function id, a bad config or
   * an input larger than a checkpoint holds (256 KiB) rejects with {@link ValidationError}
   * before anything is written.
   *
   * @param name Names the operation. As in the AWS SDK, a string second argument means the first
   *   is the name: to send a string input, use this named form.
   * @param funcId The target's function name or ARN.
   * @param input The target's event, encoded with `config.payloadSerdes` (default: plain JSON).
   * @param config Serdes of input and result, tenant id.
   * @example
   * ```ts
   * const reservation = await ctx.invoke("reserve-stock", "inventory-service", { sku: "A-1", qty: 3 });
   * ```
   */
  invoke<TInput, TOutput>(name: string, funcId: string, input?: TInput, config?: InvokeConfig<TInput, TOutput>): DurablePromise<TOutput>;
  /** An unnamed invoke: as {@link DurableContext.invoke} with a name. */
  invoke<TInput, TOutput>(funcId: string, input?: TInput, config?: InvokeConfig<TInput, TOutput>): DurablePromise<TOutput>;

  /**
   * Cairn addition: processes a large item source over child executions. The source is split into
   * partitions (by count for an array, by the source's own `partitions`, or by the definition's
   * `partitionOf`); each partition runs as a child durable execution — a chained invoke of
   * `config.functionName`, by default this function — that reads its partition page by page, each
   * page in a step (so its cursor is checkpointed), processing each page as a `ctx.map`. Items
   * never pass through this execution's history: it records a plan, and per child an admission,
   * the invoke and the counts so far (four operations per child).
   *
   * At most `maxChildExecutions` children run at once. `completionConfig` counts all items of all
   * children: once it is met, no further child starts (those are listed NOT_STARTED). Resolves to
   * a summary (counts, completion reason, per-child outcomes, the first failed items); failed items
   * do not reject it. Rejects with a ValidationError for a bad config before anything is written.
   *
   * @param definition What `defineDistributedMap` returned, defined at module scope so the
   *   children (invocations of the same function) find it by name.
   * @param config The run: `params` for the source, how to split it, how many children at once,
   *   completion across all items.
   * @example
   * ```ts
   * const backfill = defineDistributedMap("backfill", {
   *   source: (params: { count: number }) => ({ readPage: async (cursor?: number) => readRows(params, cursor ?? 0) }),
   *   itemHandler: async (row, ctx) => ctx.step("copy", () => copy(row)),
   * });
   * export const handler = withDurableExecution(async (event: { count: number }, ctx) =>
   *   ctx.distributedMap(backfill, { params: event, maxChildExecutions: 10 }),
   * );
   * ```
   */
  distributedMap<TItem, TParams, TCursor>(
    definition: DistributedMapDefinition<TItem, TParams, TCursor>,
    config?: DistributedMapConfig<TParams>,
  ): DurablePromise<DistributedMapResult>;

  /**
   * Promise.all / allSettled / any / race over durable promises that are already running. Each
   * is a durable operation itself, so its outcome is checkpointed when it settles and a replay
   * gets the same value (the same race winner). See {@link DurablePromiseCombinators}.
   *
   * @example
   * ```ts
   * const winner = await ctx.promise.race("deadline", [
   *   ctx.step("quote", () => carrier.quote(order)),
   *   ctx.wait({ minutes: 1 }).then(() => "timed out"),
   * ]);
   * ```
   */
  readonly promise: DurablePromiseCombinators;

  /**
   * Sets where `ctx.logger` and step loggers write (`customLogger`) and whether replayed lines are
   * dropped (`modeAware`, default true), for the rest of this invocation. Nothing is
   * checkpointed: call it at the top of the handler so every invocation configures it again.
   * Throws {@link ValidationError} for a logger missing a level method.
   *
   * @example
   * ```ts
   * ctx.configureLogger({ customLogger: new Logger({ serviceName: "orders" }) }); // e.g. Powertools
   * ```
   */
  configureLogger(config: LoggerConfig): void;
  /**
   * Sets the serdes used by operations that name none of their own, and the default callback
   * payload deserializer, for the rest of this invocation. Nothing is checkpointed: call it at the
   * top of the handler, before the first operation, so replays read values the way they were
   * written.
   */
  configureSerdes(config: SerdesConfig): void;
}

/**
 * A durable handler: ordinary async code that receives the event and a DurableContext. It runs
 * from the top on every invocation, replaying checkpointed operations, so code between
 * operations must be deterministic. Wrap it with {@link withDurableExecution}.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- event and result types are the handler's own
export type DurableExecutionHandler<TEvent = any, TResult = any, _TLogger extends DurableLogger = DurableLogger> = (
  event: TEvent,
  context: DurableContext,
) => Promise<TResult>;
