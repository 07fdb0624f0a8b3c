import { ValidationError } from "../errors/validation-error.js";
import type { InvocationEngine } from "../engine/invocation-engine.js";
import { never } from "../engine/invocation-engine.js";
import type { OperationUpdate } from "../protocol/wire.js";
import type { BatchResult, MapConfig, MapFunc, NamedParallelBranch, ParallelConfig, ParallelFunc } from "../types/batch.js";
import type { ChildConfig, ChildFunc } from "../types/child.js";
import type { DurableContext, LambdaContextLike, SerdesConfig } from "../types/context.js";
import type { Duration } from "../types/duration.js";
import { DurablePromise } from "../types/durable-promise.js";
import type { DurableLogger, LoggerConfig } from "../types/logger.js";
import type { StepConfig, StepFunc } from "../types/step.js";
import { runBatch, type BatchUnit } from "./batch/batch-operation.js";
import { runChildContext } from "./child-context-operation.js";
import { createContextLogger } from "./context-logger.js";
import type { LazyAbort } from "./lazy-abort.js";
import { runStep } from "./step-operation.js";
import { runWait } from "./wait-operation.js";

const MAX_NAME_LENGTH = 256;

/**
 * A node in the tree of contexts. A context is closed when the batch it belongs to completed
 * without it: its operations then freeze instead of writing checkpoints.
 */
export class ContextImpl implements DurableContext {
  readonly executionContext: { readonly durableExecutionArn: string };
  #logger: DurableLogger | undefined;
  #counter = 0;
  readonly #checkpointedChildren: number;
  readonly #prefix: string;
  #closed = false;

  constructor(
    readonly engine: InvocationEngine,
    /** Id of the CONTEXT operation this context runs in; undefined for the handler's root. */
    readonly operationId: string | undefined,
    readonly lambdaContext: LambdaContextLike,
    /** Aborted when this context's result is no longer needed (see DurableContext.signal). */
    readonly abort: LazyAbort,
    private readonly parent: ContextImpl | undefined,
    /** The context re-runs only to rebuild a result too large to checkpoint: it writes nothing. */
    readonly rebuilding = false,
  ) {
    this.executionContext = { durableExecutionArn: engine.executionArn };
    this.#prefix = operationId === undefined ? "" : `${operationId}-`;
    this.#checkpointedChildren = engine.checkpointedChildCount(operationId);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get logger(): DurableLogger {
    this.#logger ??= createContextLogger(this.engine, { operationId: this.operationId }, () => this.replaying);
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
    return `${this.#prefix}${++this.#counter}`;
  }

  child(operationId: string, abort: LazyAbort, rebuilding = false): ContextImpl {
    return new ContextImpl(this.engine, operationId, this.lambdaContext, abort, this, rebuilding || this.rebuilding);
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
    return this.#operation(() => {
      const [name, fn, config] = typeof a === "function" ? [undefined, a, b as StepConfig<T> | undefined] : [a, b, c];
      checkName("step", name);
      if (typeof fn !== "function") throw new ValidationError(`step${label(name)}: the step function is missing; pass step(name, async () => ...).`);
      return runStep(this, name, fn as StepFunc<T>, config ?? {});
    });
  }

  wait(name: string | undefined, duration: Duration): DurablePromise<void>;
  wait(duration: Duration): DurablePromise<void>;
  wait(a: string | undefined | Duration, b?: Duration): DurablePromise<void> {
    return this.#operation(() => {
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
    return this.#operation(() => {
      const [name, fn, config] = typeof a === "function" ? [undefined, a, b as ChildConfig<T> | undefined] : [a, b, c];
      checkName("runInChildContext", name);
      if (typeof fn !== "function") {
        throw new ValidationError(`runInChildContext${label(name)}: the context function is missing.`);
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
    return this.#operation(() => {
      const [name, items, fn, config] = Array.isArray(a)
        ? [undefined, a as readonly TInput[], b as MapFunc<TInput, TOutput>, c as MapConfig<TInput, TOutput> | undefined]
        : [a as string | undefined, b as readonly TInput[], c as MapFunc<TInput, TOutput>, d];
      checkName("map", name);
      if (!Array.isArray(items)) throw new ValidationError(`map${label(name)}: items must be an array, got ${typeof items}.`);
      if (typeof fn !== "function") throw new ValidationError(`map${label(name)}: the map function is missing.`);
      const cfg = config ?? {};
      const units: BatchUnit<TOutput>[] = items.map((item, index) => ({
        name: cfg.itemNamer ? cfg.itemNamer(item, index) : undefined,
        run: (ctx) => fn(ctx, item, index, items),
      }));
      return runBatch(this, "map", name, units, cfg);
    });
  }

  parallel<TOutput>(
    a: string | undefined | ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>,
    b?: ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>> | ParallelConfig<TOutput>,
    c?: ParallelConfig<TOutput>,
  ): DurablePromise<BatchResult<TOutput>> {
    return this.#operation(() => {
      const [name, branches, config] = Array.isArray(a)
        ? [undefined, a as ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>, b as ParallelConfig<TOutput> | undefined]
        : [a as string | undefined, b as ReadonlyArray<ParallelFunc<TOutput> | NamedParallelBranch<TOutput>>, c];
      checkName("parallel", name);
      if (!Array.isArray(branches)) {
        throw new ValidationError(`parallel${label(name)}: branches must be an array of functions or { name, func } objects.`);
      }
      const units: BatchUnit<TOutput>[] = branches.map((branch, index) => {
        if (typeof branch === "function") return { name: undefined, run: branch };
        if (branch && typeof branch === "object" && typeof branch.func === "function") {
          checkName(`parallel${label(name)} branch ${index}`, branch.name);
          return { name: branch.name, run: branch.func };
        }
        throw new ValidationError(
          `parallel${label(name)}: branch ${index} must be a function or { name?, func }, got ${typeof branch}.`,
        );
      });
      return runBatch(this, "parallel", name, units, config ?? {});
    });
  }

  configureLogger(config: LoggerConfig): void {
    this.engine.loggerConfig = { ...this.engine.loggerConfig, ...config };
  }

  configureSerdes(config: SerdesConfig): void {
    if (config.defaultSerdes) this.engine.defaultSerdes = config.defaultSerdes;
  }

  /** Runs an operation; validation errors reject its promise (nothing was written). */
  #operation<T>(start: () => Promise<T>): DurablePromise<T> {
    let promise: Promise<T>;
    try {
      promise = this.engine.ended ? never() : start();
    } catch (error) {
      promise = Promise.reject(error);
    }
    return new DurablePromise(promise);
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

function label(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}
