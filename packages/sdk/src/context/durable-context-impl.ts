import { ValidationError } from "../errors/validation-error.js";
import type { InvocationEngine } from "../engine/invocation-engine.js";
import { never } from "../engine/invocation-engine.js";
import type { OperationUpdate } from "../protocol/wire.js";
import type {
  BatchResult,
  MapBatchesConfig,
  MapBatchFunc,
  MapConfig,
  MapFunc,
  NamedParallelBranch,
  ParallelConfig,
  ParallelFunc,
} from "../types/batch.js";
import type { ChildConfig, ChildFunc } from "../types/child.js";
import type { DurableContext, LambdaContextLike, SerdesConfig } from "../types/context.js";
import type { Duration } from "../types/duration.js";
import { DurablePromise, quietDurable } from "../types/durable-promise.js";
import type { DurableContextLogger, LoggerConfig } from "../types/logger.js";
import type { RetryStrategy, StepConfig, StepFunc } from "../types/step.js";
import { runBatch, type BatchUnit } from "./batch/batch-operation.js";
import { runMapBatches } from "./batch/map-batches-operation.js";
import { runMap } from "./batch/map-operation.js";
import { runChildContext } from "./child-context-operation.js";
import { checkLoggerConfig, createContextLogger } from "./context-logger.js";
import { createPromiseCombinators } from "./promise-combinators.js";
import type { DurablePromiseCombinators } from "../types/promise-combinators.js";
import type { LazyAbort } from "./lazy-abort.js";
import { misusedContext, type Scope } from "./active-scope.js";
import { childOperationId } from "./operation-ids.js";
import { quotedName } from "./payloads.js";
import { checkStepConfig, startStep } from "./step-operation.js";
import { Answered, Quiet } from "./answered.js";
import { runWait } from "./wait-operation.js";
import { runCreateCallback } from "./callback-operation.js";
import { runWaitForCallback } from "./wait-for-callback-operation.js";
import { UnawaitedOperations } from "./unawaited-operations.js";
import type { CreateCallbackConfig, CreateCallbackResult, WaitForCallbackConfig, WaitForCallbackSubmitterFunc } from "../types/callback.js";
import { runWaitForCondition, validateWaitForCondition } from "./wait-for-condition-operation.js";
import { parseInvokeArguments, runInvoke, validateInvoke } from "./invoke-operation.js";
import type { WaitForConditionCheckFunc, WaitForConditionConfig } from "../types/wait-condition.js";
import type { InvokeConfig } from "../types/invoke.js";
import type { DistributedMapConfig, DistributedMapDefinition, DistributedMapResult } from "../types/distributed-map.js";
import { isRegistered } from "./distributed-map/definitions.js";
import { validateRunConfig } from "./distributed-map/validate.js";
import { runDistributedMap } from "./distributed-map/run-distributed-map.js";

const MAX_NAME_LENGTH = 256;
/** The config of a step called without one: shared, since nothing writes to a config. */
const NO_STEP_CONFIG: StepConfig<unknown> = Object.freeze({});

/**
 * A node in the tree of contexts. A context is closed when the batch it belongs to completed
 * without it: its operations then freeze instead of writing checkpoints. A virtual context (a map
 * item or parallel branch run with `nesting: FLAT`) has no operation of its own: its operations
 * take their ids from its position but record the enclosing context as their parent.
 */
export class ContextImpl implements DurableContext, Scope {
  readonly executionContext: { readonly durableExecutionArn: string };
  #logger: DurableContextLogger | undefined;
  #promise: DurablePromiseCombinators | undefined;
  #counter = 0;
  readonly #checkpointedChildren: number;
  #closed = false;
  #defaultRetryStrategy: RetryStrategy | undefined;
  /** The handler's own operations nobody awaited yet; only the root context follows them. */
  readonly unawaited: UnawaitedOperations | undefined;

  constructor(
    readonly engine: InvocationEngine,
    /**
     * Id of the CONTEXT operation this context's operations belong to (their ParentId); undefined
     * for the handler's root.
     */
    readonly operationId: string | undefined,
    readonly lambdaContext: LambdaContextLike,
    /** Aborted when this context's result is no longer needed (see DurableContext.signal). */
    readonly abort: LazyAbort,
    private readonly parent: ContextImpl | undefined,
    /** The context re-runs only to rebuild a result too large to checkpoint: it writes nothing. */
    readonly rebuilding = false,
    /** What its operations' ids start with: its own id, which differs from operationId only when virtual. */
    readonly idPrefix: string | undefined = operationId,
    /** The name of its CONTEXT operation, if it has one: its logger's `operationName`, as on AWS. */
    readonly operationName: string | undefined = undefined,
  ) {
    this.executionContext = engine.executionContext; // shared: a map makes thousands of contexts
    this.#checkpointedChildren = engine.checkpointedChildCount(idPrefix);
    if (parent === undefined && operationId === undefined) this.unawaited = new UnawaitedOperations();
  }

  get isBody(): boolean {
    return false;
  }

  get scopeDescription(): string {
    if (this.idPrefix === undefined) return "the handler's context";
    return this.idPrefix === this.operationId ? `the context of operation ${this.idPrefix}` : `the flat item or branch ${this.idPrefix}`;
  }

  get promise(): DurablePromiseCombinators {
    this.#promise ??= createPromiseCombinators(this);
    return this.#promise;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Retry strategy of steps that set none (a batch's `retryStrategy`); inherited by child contexts. */
  get defaultRetryStrategy(): RetryStrategy | undefined {
    return this.#defaultRetryStrategy ?? this.parent?.defaultRetryStrategy;
  }

  set defaultRetryStrategy(strategy: RetryStrategy | undefined) {
    this.#defaultRetryStrategy = strategy;
  }

  get logger(): DurableContextLogger {
    this.#logger ??= createContextLogger(this.engine, { operationId: this.idPrefix, operationName: this.operationName }, () => this.replaying);
    return this.#logger;
  }

  /** True while the handler re-runs code whose operations are all checkpointed already. */
  get replaying(): boolean {
    return this.rebuilding || this.#counter < this.#checkpointedChildren;
  }

  get closed(): boolean {
    return this.#closed || (this.parent?.closed ?? false);
  }

  close(): void {
    this.#closed = true;
  }

  /** Allocates the next positional operation id; synchronous, at the moment of the call. */
  nextId(): string {
    return childOperationId(this.idPrefix, ++this.#counter);
  }

  child(operationId: string, abort: LazyAbort, rebuilding = false, name?: string): ContextImpl {
    return new ContextImpl(this.engine, operationId, this.lambdaContext, abort, this, rebuilding || this.rebuilding, operationId, name);
  }

  /** A context without an operation of its own, at position `id`; its operations belong to this context's. */
  virtualChild(id: string, abort: LazyAbort): ContextImpl {
    return new ContextImpl(this.engine, this.operationId, this.lambdaContext, abort, this, this.rebuilding, id);
  }

  /** Writes an update unless this context was closed or is only rebuilding; then it freezes. */
  checkpoint(update: OperationUpdate): Promise<void> {
    if (this.closed) return never();
    if (this.rebuilding) return Promise.resolve();
    return this.engine.checkpoint(update);
  }

  step<T>(name: string | undefined, fn: StepFunc<T>, config?: StepConfig<T>): DurablePromise<T>;
  step<T>(fn: StepFunc<T>, config?: StepConfig<T>): DurablePromise<T>;
  step<T>(a: string | undefined | StepFunc<T>, b?: StepFunc<T> | StepConfig<T>, c?: StepConfig<T>): DurablePromise<T> {
    // No closure for #operation: replay calls this once per checkpointed step.
    let started: Promise<T> | Answered<T>;
    try {
      if (this.engine.ended || this.misused("step", a)) started = never();
      else {
        const named = typeof a !== "function";
        const name = named ? a : undefined;
        const fn = named ? b : a;
        const config = (named ? c : (b as StepConfig<T> | undefined)) ?? NO_STEP_CONFIG;
        checkName("step", name);
        if (typeof fn !== "function") throw new ValidationError(`step${quotedName(name)}: the step function is missing; pass step(name, async () => ...).`);
        if (config !== NO_STEP_CONFIG) checkStepConfig(`step${quotedName(name)}`, config);
        started = startStep(this, name, fn as StepFunc<T>, config as StepConfig<T>);
      }
    } catch (error) {
      started = Promise.reject(error);
    }
    return this.#durable("step", a, started);
  }

  wait(name: string | undefined, duration: Duration): DurablePromise<void>;
  wait(duration: Duration): DurablePromise<void>;
  wait(a: string | undefined | Duration, b?: Duration): DurablePromise<void> {
    return this.#operation("wait", a, () => {
      const [name, duration] = typeof a === "object" && a !== null ? [undefined, a] : [a as string | undefined, b];
      checkName("wait", name);
      return runWait(this, name, duration as Duration);
    });
  }

  runInChildContext<T>(name: string | undefined, fn: ChildFunc<T>, config?: ChildConfig<T>): DurablePromise<T>;
  runInChildContext<T>(fn: ChildFunc<T>, config?: ChildConfig<T>): DurablePromise<T>;
  runInChildContext<T>(
    a: string | undefined | ChildFunc<T>,
    b?: ChildFunc<T> | ChildConfig<T>,
    c?: ChildConfig<T>,
  ): DurablePromise<T> {
    return this.#operation("runInChildContext", a, () => {
      const [name, fn, config] = typeof a === "function" ? [undefined, a, b as ChildConfig<T> | undefined] : [a, b, c];
      checkName("runInChildContext", name);
      if (typeof fn !== "function") {
        throw new ValidationError(`runInChildContext${quotedName(name)}: the context function is missing.`);
      }
      return runChildContext(this, name, fn as ChildFunc<T>, config ?? {});
    });
  }

  map<TInput, TOutput>(
    a: string | undefined | readonly TInput[],
    b: readonly TInput[] | MapFunc<TInput, TOutput>,
    c?: MapFunc<TInput, TOutput> | MapConfig<TInput, TOutput>,
    d?: MapConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>> {
    return this.#operation("map", a, () => {
      const [name, items, fn, config] = Array.isArray(a)
        ? [undefined, a as readonly TInput[], b as MapFunc<TInput, TOutput>, c as MapConfig<TInput, TOutput> | undefined]
        : [a as string | undefined, b as readonly TInput[], c as MapFunc<TInput, TOutput>, d];
      checkName("map", name);
      if (!Array.isArray(items)) throw new ValidationError(`map${quotedName(name)}: items must be an array, got ${typeof items}.`);
      if (typeof fn !== "function") throw new ValidationError(`map${quotedName(name)}: the map function is missing.`);
      return runMap(this, name, items, fn, config ?? {});
    });
  }

  mapBatches<TInput, TOutput>(
    a: string | undefined | readonly TInput[],
    b: readonly TInput[] | MapBatchFunc<TInput, TOutput>,
    c: MapBatchFunc<TInput, TOutput> | MapBatchesConfig<TInput, TOutput>,
    d?: MapBatchesConfig<TInput, TOutput>,
  ): DurablePromise<BatchResult<TOutput>> {
    return this.#operation("mapBatches", a, () => {
      const [name, items, fn, config] = Array.isArray(a)
        ? [undefined, a as readonly TInput[], b as MapBatchFunc<TInput, TOutput>, c as MapBatchesConfig<TInput, TOutput>]
        : [a as string | undefined, b as readonly TInput[], c as MapBatchFunc<TInput, TOutput>, d];
      checkName("mapBatches", name);
      if (!Array.isArray(items)) throw new ValidationError(`mapBatches${quotedName(name)}: items must be an array, got ${typeof items}.`);
      if (typeof fn !== "function") throw new ValidationError(`mapBatches${quotedName(name)}: the batch function is missing.`);
      return runMapBatches(this, name, items, fn, config as MapBatchesConfig<TInput, TOutput>);
    });
  }

  parallel<TOutput>(
    a: string | undefined | ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>,
    b?: ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>> | ParallelConfig<TOutput>,
    c?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>> {
    return this.#operation("parallel", a, () => {
      const [name, branches, config] = Array.isArray(a)
        ? [undefined, a as ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>, b as ParallelConfig<TOutput> | undefined]
        : [a as string | undefined, b as ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>, c];
      checkName("parallel", name);
      if (!Array.isArray(branches)) {
        throw new ValidationError(`parallel${quotedName(name)}: branches must be an array of functions or { name, func } objects.`);
      }
      const units: BatchUnit<TOutput>[] = branches.map((branch, index) => {
        // Unnamed branches are named by position, as the AWS SDK names them.
        if (typeof branch === "function") return { name: `parallel-branch-${index}`, run: branch };
        if (branch && typeof branch === "object" && typeof branch.func === "function") {
          checkName(`parallel${quotedName(name)} branch ${index}`, branch.name);
          return { name: branch.name || `parallel-branch-${index}`, run: branch.func };
        }
        throw new ValidationError(
          `parallel${quotedName(name)}: branch ${index} must be a function or { name?, func }, got ${typeof branch}.`,
        );
      });
      return runBatch(this, "parallel", name, units, config ?? {});
    });
  }

  waitForCondition<T>(name: string | undefined, check: WaitForConditionCheckFunc<T>, config: WaitForConditionConfig<T>): DurablePromise<T>;
  waitForCondition<T>(check: WaitForConditionCheckFunc<T>, config: WaitForConditionConfig<T>): DurablePromise<T>;
  waitForCondition<T>(
    a: string | undefined | WaitForConditionCheckFunc<T>,
    b: WaitForConditionCheckFunc<T> | WaitForConditionConfig<T>,
    c?: WaitForConditionConfig<T>,
  ): DurablePromise<T> {
    return this.#operation("waitForCondition", a, () => {
      const [name, check, config] = typeof a === "function" ? [undefined, a, b] : [a, b, c];
      checkName("waitForCondition", name);
      validateWaitForCondition<T>(name, check, config);
      return runWaitForCondition(this, name, check as WaitForConditionCheckFunc<T>, config);
    });
  }

  invoke<TInput, TOutput>(name: string, funcId: string, input?: TInput, config?: InvokeConfig<TInput, TOutput>): DurablePromise<TOutput>;
  invoke<TInput, TOutput>(funcId: string, input?: TInput, config?: InvokeConfig<TInput, TOutput>): DurablePromise<TOutput>;
  invoke<TInput, TOutput>(a: string, b?: unknown, c?: unknown, d?: unknown): DurablePromise<TOutput> {
    return this.#operation("invoke", undefined, () => {
      const call = parseInvokeArguments<TInput, TOutput>(a, b, c, d);
      checkName("invoke", call.name);
      validateInvoke(call);
      return runInvoke(this, call);
    });
  }

  distributedMap<TItem, TParams, TCursor>(
    definition: DistributedMapDefinition<TItem, TParams, TCursor>,
    config?: DistributedMapConfig<TParams>,
  ): DurablePromise<DistributedMapResult> {
    const label = (definition as { name?: unknown } | undefined)?.name;
    return this.#operation("distributedMap", typeof label === "string" ? label : undefined, () => {
      if (!isRegistered(definition)) {
        throw new ValidationError(
          "distributedMap: pass what defineDistributedMap(name, { source, itemHandler }) returned, defined at module scope so the children find it.",
        );
      }
      validateRunConfig(definition.name, config as DistributedMapConfig<unknown> | undefined);
      return runDistributedMap(this, definition, (config ?? {}) as DistributedMapConfig<unknown>);
    });
  }

  createCallback<TOutput = string>(
    a?: string | CreateCallbackConfig<TOutput>,
    b?: CreateCallbackConfig<TOutput>,
  ): DurablePromise<CreateCallbackResult<TOutput>> {
    return this.#operation("createCallback", a, () => {
      const [name, config] = typeof a === "object" && a !== null ? [undefined, a] : [a, b];
      checkName("createCallback", name);
      return runCreateCallback<TOutput>(this, name, config ?? {});
    });
  }

  waitForCallback<TOutput = string>(
    a: string | undefined | WaitForCallbackSubmitterFunc,
    b?: WaitForCallbackSubmitterFunc | WaitForCallbackConfig<TOutput>,
    c?: WaitForCallbackConfig<TOutput>,
  ): DurablePromise<TOutput> {
    return this.#operation("waitForCallback", a, () => {
      const [name, submitter, config] =
        typeof a === "function" ? [undefined, a, b as WaitForCallbackConfig<TOutput> | undefined] : [a, b as WaitForCallbackSubmitterFunc, c];
      checkName("waitForCallback", name);
      return runWaitForCallback<TOutput>(this, name, submitter, config ?? {});
    });
  }

  configureLogger(config: LoggerConfig): void {
    this.engine.loggerConfig = { ...this.engine.loggerConfig, ...checkLoggerConfig(config) };
  }

  configureSerdes(config: SerdesConfig): void {
    if (config.defaultSerdes) this.engine.defaultSerdes = config.defaultSerdes;
    if (config.defaultCallbackDeserializer) this.engine.defaultCallbackDeserializer = config.defaultCallbackDeserializer;
  }

  /**
   * Runs an operation; validation errors reject its promise (nothing was written). Called on the
   * wrong context (see active-scope.ts), it fails the execution and starts nothing.
   */
  #operation<T>(kind: string, nameArgument: unknown, start: () => Promise<T> | Quiet<T>): DurablePromise<T> {
    let promise: Promise<T> | Quiet<T>;
    try {
      promise = this.engine.ended || this.misused(kind, nameArgument) ? never() : start();
    } catch (error) {
      promise = Promise.reject(error);
    }
    return this.#durable(kind, nameArgument, promise);
  }

  /**
   * The operation's promise as the handler gets it, followed until awaited unless it answered
   * already; one that cannot reject gets no rejection handler (see quietDurable).
   */
  #durable<T>(kind: string, nameArgument: unknown, started: Promise<T> | Answered<T> | Quiet<T>): DurablePromise<T> {
    if (started instanceof Answered) return new DurablePromise(started.promise);
    if (started instanceof Quiet) {
      const durable = quietDurable(started.promise);
      this.unawaited?.track(kind, nameArgument, durable, started.promise);
      return durable;
    }
    const durable = new DurablePromise(started);
    this.unawaited?.track(kind, nameArgument, durable, started);
    return durable;
  }

  /** See misusedContext; the operation's label is only built when there is an error to report. */
  misused(kind: string, nameArgument: unknown): boolean {
    return misusedContext(this.engine, this, kind, nameArgument);
  }
}

function checkName(operation: string, name: unknown): void {
  if (name === undefined) return;
  if (typeof name !== "string") {
    throw new ValidationError(`${operation}: the name must be a string, got ${typeof name}.`);
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`${operation}: the name must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}.`);
  }
}
