import { toErrorObject } from "../errors/error-object.js";
import type { ErrorObject } from "../protocol/wire.js";
import type { ChainedInvokeOutcome, PendingChainedInvoke } from "../service/chained-invokes.js";
import { ExecutionClosedError, InvalidRequestError } from "../service/errors.js";
import type { DurableExecutionService, ExecutionSummary } from "../service/service-api.js";
import type { LambdaContextLike } from "../types/context.js";
import type { OrchestratorClock } from "../service/clock.js";
import type { DurableInvocationHandler } from "./invocation.js";
import { childClock, TimeMember } from "./shared-virtual-time.js";

/** A function `ctx.invoke` can reach, by function id. */
export type ChainedFunction =
  /** Runs as its own durable execution in the same service, on the same clock. */
  | {
      /** A durable handler. */
      durable: true;
      /** What `withDurableExecution` returned. */
      handler: DurableInvocationHandler;
    }
  /** A plain async function: called with the parsed input; its JSON result is the invoke's result. */
  | {
      /** A plain function. */
      durable: false;
      /** The function; a rejection fails the invoke. */
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the event and result are the function's own
      handler: (event: any, context: LambdaContextLike) => unknown;
    };

/** Function ids to functions. */
export type ChainedFunctionRegistry = ReadonlyMap<string, ChainedFunction>;

/** What running a durable target needs from the orchestrator that runs the parent. */
export interface TargetRun {
  /** The service the target's execution lives in. */
  service: DurableExecutionService;
  /** The shared clock. */
  clock: OrchestratorClock;
  /** The target's durable handler. */
  handler: DurableInvocationHandler;
  /** The target execution to start (its name and id were reserved by the invoke). */
  start: {
    /** The reserved execution name. */
    executionName: string;
    /** The reserved execution id. */
    executionId: string;
    /** The invoke's serialized input. */
    input: string | undefined;
    /** The target function's id. */
    functionName: string;
  };
  /** What the target's own invokes can call. */
  functions: ChainedFunctionRegistry;
  /** Aborts the target's run. */
  signal: AbortSignal;
  /** The invoke that runs this target: the caller's execution and the CHAINED_INVOKE operation. */
  invokedBy: {
    /** The calling execution. */
    executionArn: string;
    /** The CHAINED_INVOKE operation's id. */
    operationId: string;
  };
}

/** Runs a durable target to its end; undefined when it stopped early (aborted, or waiting on something external). */
export type RunTarget = (run: TargetRun) => Promise<ExecutionSummary | undefined>;

/**
 * Runs the targets of an execution's chained invokes and completes each invoke with its target's
 * outcome. One per orchestration loop: it starts every STARTED invoke once (a durable target's
 * execution is named after the invoke, so a later loop that starts it again finds the running
 * one), and wakes the loop as soon as any target finishes.
 */
export class ChainedInvokeDispatcher {
  readonly #dispatched = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  /** Created on first use: an execution that invokes nothing (most) pays for no signal. */
  #stop: AbortController | undefined;
  #stopped = false;
  #completions = 0;
  #wake: { promise: Promise<void>; resolve: () => void } = wakeSignal();

  constructor(
    private readonly service: DurableExecutionService,
    private readonly clock: OrchestratorClock,
    private readonly functions: ChainedFunctionRegistry,
    private readonly runTarget: RunTarget,
  ) {}

  /** Targets still running. */
  get inFlight(): number {
    return this.#running.size;
  }

  /** Starts the target of every chained invoke that waits for one and was not started yet. */
  async dispatch(executionArn: string): Promise<void> {
    const pending = await this.service.pendingChainedInvokes(executionArn);
    for (const invoke of pending) {
      if (this.#dispatched.has(invoke.operationId) || this.#stopped) continue;
      this.#dispatched.add(invoke.operationId);
      const running = this.#run(executionArn, invoke).finally(() => this.#running.delete(running));
      this.#running.add(running);
    }
  }

  /** How many invokes this dispatcher completed so far. */
  get completions(): number {
    return this.#completions;
  }

  /**
   * Sleeps until `until` (or, without it, until a target finishes). Resolves "completed" as soon as
   * a target finishes — at once if one did after the caller read `completions` as `seen` — and
   * "timer" when the time came. Rejects if `signal` aborts.
   */
  async sleep(until: Date | undefined, signal: AbortSignal | undefined, seen: number): Promise<"timer" | "completed"> {
    if (this.#completions > seen) return "completed";
    const woke = this.#wake.promise.then(() => "completed" as const);
    const cancel = new AbortController();
    const both = signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal;
    try {
      if (until === undefined) {
        const aborted = new Promise<never>((_, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true, signal: cancel.signal });
        });
        // The abort ends the idling too: a loop woken by something else must hold time again.
        const first = Promise.race([woke, aborted]);
        return await (this.clock instanceof TimeMember ? this.clock.idleUntil(first) : first);
      }
      return await Promise.race([this.clock.sleepUntil(until, both).then(() => "timer" as const), woke]);
    } finally {
      cancel.abort();
    }
  }

  /** Stops targets still running (between their invocations) and waits for them to settle. */
  async close(): Promise<void> {
    this.#stopped = true;
    // Aborting builds a DOMException with a stack: only worth it when a target can observe it.
    this.#stop?.abort();
    await Promise.allSettled([...this.#running]);
  }

  #stopSignal(): AbortSignal {
    this.#stop ??= new AbortController();
    if (this.#stopped) this.#stop.abort();
    return this.#stop.signal;
  }

  async #run(parentArn: string, invoke: PendingChainedInvoke): Promise<void> {
    const fn = this.functions.get(invoke.functionName);
    let outcome: ChainedInvokeOutcome | undefined;
    if (!fn) {
      outcome = { status: "FAILED", error: unknownFunction(invoke) };
    } else {
      // Joined now, before this loop can go to sleep: time must not pass the target by.
      const { clock, owned } = childClock(this.clock);
      try {
        // A plain function holds time still while it runs (its member stays busy), like a step body.
        outcome = fn.durable ? await this.#runDurable(fn.handler, invoke, clock, parentArn) : await runPlain(fn.handler, invoke);
      } finally {
        owned?.leave();
      }
    }
    if (outcome === undefined) return;
    try {
      await this.service.completeChainedInvoke(parentArn, invoke.operationId, outcome);
    } catch (error) {
      // The parent ended meanwhile, or another orchestrator completed the invoke first.
      if (error instanceof ExecutionClosedError || error instanceof InvalidRequestError) return;
      throw error;
    }
    this.#completions++;
    const wake = this.#wake;
    this.#wake = wakeSignal();
    wake.resolve();
  }

  async #runDurable(
    handler: DurableInvocationHandler,
    invoke: PendingChainedInvoke,
    clock: OrchestratorClock,
    parentArn: string,
  ): Promise<ChainedInvokeOutcome | undefined> {
    let execution: ExecutionSummary | undefined;
    try {
      execution = await this.runTarget({
        service: this.service,
        clock,
        handler,
        start: {
          executionName: invoke.targetExecutionName,
          executionId: invoke.targetExecutionId,
          input: targetInput(invoke),
          functionName: invoke.functionName,
        },
        functions: this.functions,
        signal: this.#stopSignal(),
        invokedBy: { executionArn: parentArn, operationId: invoke.operationId },
      });
    } catch (error) {
      // The target's orchestration gave up (e.g. an invocation limit): the invoke fails with why.
      return { status: "FAILED", error: toErrorObject(error) };
    }
    if (execution === undefined) return undefined;
    switch (execution.status) {
      case "SUCCEEDED":
        return { status: "SUCCEEDED", result: execution.result };
      case "FAILED":
      case "TIMED_OUT":
      case "STOPPED":
        return { status: execution.status, error: execution.error };
      default:
        return undefined;
    }
  }
}

async function runPlain(
  handler: (event: unknown, context: LambdaContextLike) => unknown,
  invoke: PendingChainedInvoke,
): Promise<ChainedInvokeOutcome> {
  try {
    const event: unknown = JSON.parse(targetInput(invoke));
    const context: LambdaContextLike = { functionName: invoke.functionName };
    const value = await handler(event, context);
    return { status: "SUCCEEDED", result: value === undefined ? undefined : JSON.stringify(value) };
  } catch (error) {
    return { status: "FAILED", error: toErrorObject(error) };
  }
}

/**
 * The event a target is started with. An invoke without input stores no payload (as the AWS SDK
 * writes it), and its target gets `{}`, as a Lambda function invoked without a payload does.
 */
function targetInput(invoke: PendingChainedInvoke): string {
  return invoke.input ?? "{}";
}

function unknownFunction(invoke: PendingChainedInvoke): ErrorObject {
  return {
    ErrorType: "FunctionNotFoundError",
    ErrorMessage:
      `No function is registered under the id "${invoke.functionName}" (ctx.invoke, operation ${invoke.operationId}). ` +
      `Register it before running: runner.registerDurableFunction("${invoke.functionName}", handler) for a durable ` +
      `handler or runner.registerFunction("${invoke.functionName}", handler) for a plain one ` +
      "(with runExecution, pass it in the functions option).",
  };
}

function wakeSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
