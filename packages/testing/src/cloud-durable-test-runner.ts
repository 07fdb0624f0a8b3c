import { setTimeout as sleep } from "node:timers/promises";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { CallbackCompletionResult } from "@cairn/sdk/service";
import {
  OperationHandle,
  type CallbackSend,
  type DurableOperation,
  type OperationSelector,
  type OperationSource,
} from "./durable-operation.js";
import type { DurableTestRunner } from "./durable-test-runner.js";
import { ExecutionSnapshot } from "./execution-snapshot.js";
import { HistoryReader, loadClientLambda, summaryOf, type ClientLambda } from "./history-reader.js";
import { InvocationType } from "./invocation-type.js";
import type { InvokeRequest } from "./local-durable-test-runner.js";
import { isExecutionEnd, operationsFromHistory } from "./operations-from-history.js";
import { createTestResult, type TestResult } from "./test-result.js";

/** How the cloud runner invokes the function and follows its execution. */
export interface CloudDurableTestRunnerConfig {
  /** Milliseconds between two reads of the execution's history. Default 1000. */
  pollInterval?: number;
  /**
   * How the function is invoked. Default `RequestResponse` (Invoke answers when the execution has
   * finished). Use `Event` to wait for operations (`waitForData`) and answer callbacks while the
   * execution runs.
   */
  invocationType?: InvocationType;
}

/** What a {@link CloudDurableTestRunner} runs: a deployed durable function. */
export interface CloudDurableTestRunnerParameters {
  /** The function's name, ARN or partial ARN, optionally qualified (`name:alias`), as Invoke takes it. */
  functionName: string;
  /**
   * The client to call Lambda with (region, credentials, endpoint). Default: a `LambdaClient` from
   * the environment's configuration, created on the first run.
   */
  client?: LambdaClient;
  /** Polling interval and invocation type; see {@link CloudDurableTestRunnerConfig} for the defaults. */
  config?: CloudDurableTestRunnerConfig;
}

interface Waiter {
  ready: (snapshot: ExecutionSnapshot) => boolean;
  what: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface CurrentRun {
  client: LambdaClient;
  lambda: ClientLambda;
  executionArn: string;
  /** Reads the history again now instead of at the next poll. */
  poke: () => void;
}

const INVOCATION_TYPES: ReadonlySet<string> = new Set(Object.values(InvocationType));

/**
 * Runs a test against a durable function deployed on AWS Lambda: `run` invokes it through
 * `@aws-sdk/client-lambda`, takes the execution ARN from the Invoke response, and reads the
 * execution's history (GetDurableExecutionHistory) until it has ended; operations are rebuilt
 * from the history. Same shape as the AWS testing library's `CloudDurableTestRunner`, and the same
 * `TestResult` and `DurableOperation` as {@link LocalDurableTestRunner}, so one test body runs on both.
 *
 * `@aws-sdk/client-lambda` (an optional peer dependency) is loaded on the first run, so local
 * tests never need it. Fault injection, logs and `sleep` are local-only: `run` rejects `faults`,
 * and results report no logs.
 *
 * To run without AWS, "deploy" the handler on `startLocalLambdaEndpoint` from
 * `@cairn/aws-lambda/local` and pass a `client` whose `endpoint` is the endpoint's `url`.
 *
 * @typeParam TResult - the handler's result; `any` by default, as in the AWS testing library.
 *
 * @example
 * ```ts
 * const runner = new CloudDurableTestRunner({
 *   functionName: "order-workflow",
 *   config: { invocationType: InvocationType.Event, pollInterval: 500 },
 * });
 * const approval = runner.getOperation("approval");
 * const running = runner.run({ payload: { orderId: "o-1" } });
 * await approval.waitForData(WaitingOperationStatus.SUBMITTED);
 * await approval.sendCallbackSuccess(JSON.stringify({ approved: true }));
 * expect((await running).getStatus()).toBe(ExecutionStatus.SUCCEEDED);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
export class CloudDurableTestRunner<TResult = any> implements DurableTestRunner<DurableOperation, TResult> {
  readonly #functionName: string;
  #client: LambdaClient | undefined;
  readonly #pollInterval: number;
  readonly #invocationType: InvocationType;
  readonly #source: OperationSource;
  #snapshot: ExecutionSnapshot = ExecutionSnapshot.empty;
  #waiters = new Set<Waiter>();
  #runsInFlight = 0;
  #runsFinished = 0;
  #current: CurrentRun | undefined;

  /**
   * Checks the parameters; nothing is loaded or called until the first `run`.
   *
   * @throws TypeError when `functionName` is empty or `config.invocationType` is not an InvocationType.
   * @throws RangeError when `config.pollInterval` is not a positive number.
   */
  constructor({ functionName, client, config = {} }: CloudDurableTestRunnerParameters) {
    if (typeof functionName !== "string" || functionName.length === 0) {
      throw new TypeError("CloudDurableTestRunner: functionName must be the name or ARN of a deployed durable function");
    }
    const pollInterval = config.pollInterval ?? 1000;
    if (!Number.isFinite(pollInterval) || pollInterval <= 0) {
      throw new RangeError(`CloudDurableTestRunner: config.pollInterval must be a positive number of milliseconds, got ${pollInterval}`);
    }
    const invocationType = config.invocationType ?? InvocationType.RequestResponse;
    if (!INVOCATION_TYPES.has(invocationType)) {
      throw new TypeError(
        `CloudDurableTestRunner: config.invocationType must be one of ${[...INVOCATION_TYPES].join(", ")}, got ${String(invocationType)}`,
      );
    }
    this.#functionName = functionName;
    this.#client = client;
    this.#pollInterval = pollInterval;
    this.#invocationType = invocationType;
    this.#source = {
      snapshot: () => this.#snapshot,
      waitUntil: (ready, what) => this.#waitUntil(ready, what),
      sendCallback: (callbackId, completion) => this.#sendCallback(callbackId, completion),
    };
  }

  /**
   * Invokes the function with `payload` (as JSON), then follows the durable execution it started
   * until it has ended, reading the history every `pollInterval` ms (sooner after a callback is
   * sent through a handle). `executionName` is sent as the durable execution name (idempotent
   * starts); `signal` aborts the Invoke call and the polling.
   *
   * @throws TypeError when `params.faults` is given: a deployed function cannot be crashed from the test.
   * @throws Error when `@aws-sdk/client-lambda` is not installed, when the Invoke response carries
   *   no execution ARN (not a durable function, or `DryRun`), and with the Lambda client's error
   *   when a call fails (each history read is tried three times first).
   */
  async run(params: InvokeRequest = {}): Promise<TestResult<TResult>> {
    if (params.faults !== undefined) {
      throw new TypeError("CloudDurableTestRunner.run: faults cannot be injected into a deployed function; use LocalDurableTestRunner");
    }
    const lambda = await loadClientLambda("CloudDurableTestRunner");
    const client = (this.#client ??= new lambda.LambdaClient({}));
    const { signal } = params;
    this.#runsInFlight++;
    try {
      const invoked = await client.send(
        new lambda.InvokeCommand({
          FunctionName: this.#functionName,
          InvocationType: this.#invocationType,
          ...(params.payload !== undefined ? { Payload: JSON.stringify(params.payload) } : {}),
          ...(params.executionName !== undefined ? { DurableExecutionName: params.executionName } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
      const executionArn = invoked.DurableExecutionArn;
      if (!executionArn) {
        throw new Error(
          `CloudDurableTestRunner.run: the Invoke response of "${this.#functionName}" carries no DurableExecutionArn. ` +
            "Is it a durable function (durable execution enabled), and is the invocation type not DryRun?",
        );
      }
      const reader = new HistoryReader(client, lambda, executionArn, signal);
      let poked: () => void = () => undefined;
      this.#current = { client, lambda, executionArn, poke: () => poked() };

      for (;;) {
        // Made before the read, so that a callback sent while reading still cuts the sleep short.
        const poke = new Promise<void>((resolve) => (poked = resolve));
        const events = await reader.read();
        this.#publish(ExecutionSnapshot.build(operationsFromHistory(events), events));
        if (isExecutionEnd(events.at(-1))) break;
        await Promise.race([sleep(this.#pollInterval, undefined, signal ? { signal } : undefined), poke]);
      }
      const execution = await reader.execution();
      const events = this.#snapshot.events;
      return createTestResult<TResult>({
        execution: summaryOf(execution, events),
        snapshot: this.#snapshot,
        logs: [],
        injectedCrashes: 0,
        state: "completed",
      });
    } finally {
      this.#runsInFlight--;
      this.#runsFinished++;
      if (this.#runsInFlight === 0) this.#rejectWaiters((w) => `The execution ended without ${w.what}`);
    }
  }

  /** The first operation named `name`; the handle fills in as the history shows the operation. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
  getOperation<TOperationResult = any>(name: string): DurableOperation<TOperationResult> {
    return this.#handle({ kind: "name", name, index: 0 });
  }

  /** The operation at `index` in execution order (0-based). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
  getOperationByIndex<TOperationResult = any>(index: number): DurableOperation<TOperationResult> {
    return this.#handle({ kind: "index", index });
  }

  /** The `index`-th (0-based) operation named `name`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
  getOperationByNameAndIndex<TOperationResult = any>(name: string, index: number): DurableOperation<TOperationResult> {
    return this.#handle({ kind: "name", name, index });
  }

  /** The operation with id `id`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
  getOperationById<TOperationResult = any>(id: string): DurableOperation<TOperationResult> {
    return this.#handle({ kind: "id", id });
  }

  /** Forgets the last run: handles read nothing until the next run; pending waits are rejected. */
  reset(): void {
    this.#snapshot = ExecutionSnapshot.empty;
    this.#runsFinished = 0;
    this.#rejectWaiters(() => "The runner was reset");
  }

  #handle<T>(selector: OperationSelector): DurableOperation<T> {
    return new OperationHandle<T>(this.#source, selector);
  }

  async #sendCallback(callbackId: string, completion: CallbackSend): Promise<CallbackCompletionResult> {
    const run = this.#current;
    if (!run) throw new Error("CloudDurableTestRunner: no run has started; call run() (without awaiting it) before sending callbacks.");
    const { client, lambda, executionArn } = run;
    if (completion.kind === "success") {
      await client.send(
        new lambda.SendDurableExecutionCallbackSuccessCommand({
          CallbackId: callbackId,
          ...(completion.payload !== undefined ? { Result: completion.payload } : {}),
        }),
      );
    } else if (completion.kind === "failure") {
      await client.send(
        new lambda.SendDurableExecutionCallbackFailureCommand({
          CallbackId: callbackId,
          ...(completion.error !== undefined ? { Error: completion.error } : {}),
        }),
      );
    } else {
      await client.send(new lambda.SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: callbackId }));
    }
    if (completion.kind !== "heartbeat") run.poke();
    const operationId = this.#snapshot.operations.find((op) => op.CallbackDetails?.CallbackId === callbackId)?.Id ?? "";
    return { executionArn, operationId };
  }

  #publish(snapshot: ExecutionSnapshot): void {
    this.#snapshot = snapshot;
    for (const waiter of [...this.#waiters]) {
      if (waiter.ready(snapshot)) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  #waitUntil(ready: (snapshot: ExecutionSnapshot) => boolean, what: string): Promise<void> {
    if (ready(this.#snapshot)) return Promise.resolve();
    if (this.#invocationType !== InvocationType.Event) {
      // Invoke answers only when the execution has ended: a test waiting for an operation in
      // order to answer it would wait for ever.
      return Promise.reject(
        new Error(
          `InvocationType.${this.#invocationType} cannot wait for operation data (${what}). ` +
            "Use InvocationType.Event to wait for operation data.",
        ),
      );
    }
    if (this.#runsInFlight === 0 && this.#runsFinished > 0) {
      return Promise.reject(new Error(`The execution ended without ${what}`));
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiters.add({ ready, what, resolve, reject });
    });
  }

  #rejectWaiters(message: (waiter: Waiter) => string): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter.reject(new Error(message(waiter)));
  }
}
