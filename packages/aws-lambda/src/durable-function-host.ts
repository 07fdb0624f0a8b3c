// The Lambda side of the local endpoint's Invoke API: durable functions "deployed" by name, each
// invocation starting a durable execution that is then driven the way the Lambda service drives
// one — invoke, and after every suspension invoke again when a wait or retry is due or a callback
// has been answered — until it ends.
import {
  runExecution,
  toOrchestratorClock,
  type DurableInvocationHandler,
  type WaitingInfo,
} from "@cairn/sdk/orchestrator";
import {
  systemClock,
  type Clock,
  type DurableExecutionService,
  type ExecutionSummary,
  type OrchestratorClock,
} from "@cairn/sdk/service";
import { type DurableLambdaHandler } from "@cairn/sdk";

/** A registered function: durable, so a `ctx.invoke` of it from another one runs it as its own execution. */
type DeployedFunction = { durable: true; handler: DurableInvocationHandler };

/** How Invoke was asked to run the function (the `X-Amz-Invocation-Type` header). */
export type LambdaInvocationType = "RequestResponse" | "Event" | "DryRun";

/** What the host needs from an Invoke request. */
export interface DurableInvokeRequest {
  /** As it appears in the request path: a name, `name:qualifier`, or a (partial) function ARN. */
  functionName: string;
  invocationType: LambdaInvocationType;
  /** The event, as JSON text. */
  payload: string;
  /** The `X-Amz-Durable-Execution-Name` header: starting the same name again returns that execution. */
  executionName?: string | undefined;
}

/** How an Invoke ended, for the endpoint to answer with. */
export type DurableInvokeAnswer =
  | { kind: "started"; execution: ExecutionSummary }
  | { kind: "finished"; execution: ExecutionSummary }
  | { kind: "dry-run" };

/** An Invoke named a function that is not registered. */
export class FunctionNotFound extends Error {
  constructor(readonly functionName: string) {
    super(`Function not found: ${functionName}. Register it with the endpoint's registerFunction(name, handler) first.`);
    this.name = "FunctionNotFound";
  }
}

/**
 * The durable functions an endpoint serves, and the executions their invocations started. Each
 * handler is invoked with the plain JSON input Lambda sends (no in-process environment), so it
 * checkpoints through its own Lambda client — pointed at the endpoint, it uses the HTTP API as
 * a deployed function would.
 */
export class DurableFunctionHost {
  readonly #functions = new Map<string, DeployedFunction>();
  /** One driver per running execution, so invoking the same execution name twice drives it once. */
  readonly #drivers = new Map<string, Promise<ExecutionSummary>>();
  /** Executions waiting for something external, and how to wake each. */
  readonly #waiting = new Map<string, Set<() => void>>();
  readonly #closing = new AbortController();
  readonly #clock: OrchestratorClock;

  constructor(
    private readonly service: DurableExecutionService,
    clock: Clock = systemClock,
  ) {
    this.#clock = toOrchestratorClock(clock);
  }

  /** Deploys `handler` (from `@cairn/aws-lambda`'s withDurableExecution) as function `name`. */
  register(name: string, handler: DurableLambdaHandler): void {
    if (typeof name !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw new TypeError(`registerFunction: "${String(name)}" is not a Lambda function name (1-64 of A-Z a-z 0-9 _ -)`);
    }
    if (typeof handler !== "function") {
      throw new TypeError(`registerFunction("${name}"): the handler must be the function withDurableExecution returned`);
    }
    // The spread drops the in-process environment an orchestrator attaches (a non-enumerable
    // symbol), leaving exactly what Lambda sends.
    this.#functions.set(name, { durable: true, handler: (input, context) => handler({ ...input }, context) });
  }

  /** Starts (or finds) the execution; for RequestResponse, drives it to its end first. */
  async invoke(request: DurableInvokeRequest): Promise<DurableInvokeAnswer> {
    const name = functionNameOf(request.functionName);
    const fn = this.#functions.get(name);
    if (!fn) throw new FunctionNotFound(request.functionName);
    if (request.invocationType === "DryRun") return { kind: "dry-run" };
    const execution = await this.service.startExecution({
      input: request.payload,
      executionName: request.executionName,
      functionName: name,
    });
    const driven = this.#drive(execution, name, fn);
    if (request.invocationType === "Event") {
      driven.catch((error: unknown) => {
        if (this.#closing.signal.aborted) return;
        // Nobody awaits an Event invocation: say why its execution stopped moving.
        console.error(`Local Lambda endpoint: driving ${execution.executionArn} failed:`, error);
      });
      return { kind: "started", execution };
    }
    return { kind: "finished", execution: await driven };
  }

  /** Something outside changed the execution (a callback was answered): invoke it again. */
  changed(executionArn: string): void {
    for (const wake of this.#waiting.get(executionArn) ?? []) wake();
  }

  /** Stops driving every execution (they stay RUNNING, as after a shutdown of the service). */
  close(): void {
    this.#closing.abort(new Error("The local Lambda endpoint was closed"));
  }

  #drive(execution: ExecutionSummary, name: string, fn: DeployedFunction): Promise<ExecutionSummary> {
    const arn = execution.executionArn;
    const existing = this.#drivers.get(arn);
    if (existing) return existing;
    if (execution.status !== "RUNNING") return Promise.resolve(execution);
    const driver = runExecution({
      service: this.service,
      clock: this.#clock,
      handler: fn.handler,
      target: { executionArn: arn },
      functionName: name,
      functions: this.#functions,
      onWaiting: (info) => this.#waitForChange(info),
      signal: this.#closing.signal,
    })
      .then((outcome) => outcome.execution)
      .finally(() => this.#drivers.delete(arn));
    this.#drivers.set(arn, driver);
    return driver;
  }

  /**
   * Lambda keeps a suspended execution until a timer is due or a callback is answered; so does
   * this: true when a callback was answered, false when `until` has come (or the host closes).
   */
  async #waitForChange({ executionArn, until }: WaitingInfo): Promise<boolean> {
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, this.#closing.signal]);
    let wake!: () => void;
    const woken = new Promise<boolean>((resolve) => (wake = () => resolve(true)));
    const wakers = this.#waiting.get(executionArn) ?? new Set();
    wakers.add(wake);
    this.#waiting.set(executionArn, wakers);
    try {
      // An answer that came after the orchestrator looked at the timers asked for a wake-up.
      const wakeAt = await this.service.wakeAt(executionArn);
      if (wakeAt !== undefined && wakeAt.getTime() <= this.#clock.now().getTime()) return true;
      const closed = new Promise<boolean>((resolve) => signal.addEventListener("abort", () => resolve(false), { once: true }));
      const due = until === undefined ? [] : [this.#clock.sleepUntil(until, signal).then(() => false, () => false)];
      return await Promise.race([woken, closed, ...due]);
    } finally {
      stop.abort();
      wakers.delete(wake);
      if (wakers.size === 0) this.#waiting.delete(executionArn);
    }
  }
}

/** The function's name from what Invoke accepts: `name`, `name:qualifier`, or a (partial) ARN. */
export function functionNameOf(functionName: string): string {
  const arn = /(?:^|:)function:([^:]+)(?::[^:]+)?$/.exec(functionName);
  if (arn?.[1]) return arn[1];
  return functionName.split(":")[0] ?? functionName;
}
