import { setTimeout as sleep } from "node:timers/promises";
import {
  CheckpointService,
  MemoryExecutionStore,
  executionIdOfArn,
  systemClock,
  type CallbackCompletionResult,
  type Clock,
  type DurableExecutionService,
  type ExecutionStore,
} from "@cairn/sdk/service";
import { runExecution, type ChainedFunction, type NondeterminismPolicy } from "@cairn/sdk/orchestrator";
import { writeDefaultLogLine, wholeSeconds, type DurableLogRecord } from "@cairn/sdk/backend";
import {
  type CheckpointBackend,
  type Duration,
  type DurableLambdaHandler,
  type LambdaContextLike,
} from "@cairn/sdk";
import { CallbackWakeups, createExternalChangeWatch, createWaitingHook } from "./callback-wakeups.js";
import {
  OperationHandle,
  type CallbackSend,
  type DurableOperation,
  type OperationSelector,
  type OperationSource,
} from "./durable-operation.js";
import type { DurableTestRunner } from "./durable-test-runner.js";
import { SkippedTimeClock } from "./skipped-time-clock.js";
import { ExecutionSnapshot } from "./execution-snapshot.js";
import { createFaultInjector, type FaultPlan } from "./fault-injection.js";
import { createTestResult, type TestResult } from "./test-result.js";

/**
 * Defaults for every {@link LocalDurableTestRunner} created afterwards, given to
 * {@link LocalDurableTestRunner.setupTestEnvironment} (typically in `beforeAll`). A runner's own
 * parameters win over them.
 */
export interface LocalDurableTestRunnerSetupParameters {
  /**
   * Skip time: waits and retry delays complete at once on a virtual clock. Global timers are never
   * touched, so tests using real timers (or other runners) are unaffected. Default false.
   */
  skipTime?: boolean;
  /**
   * Real milliseconds every checkpoint call takes, as against a remote service; shakes out races
   * in handlers. Default 0.
   */
  checkpointDelay?: number;
}

/** What a {@link LocalDurableTestRunner} runs, and how. Only `handlerFunction` is required. */
export interface LocalDurableTestRunnerParameters {
  /** The durable handler, as returned by `withDurableExecution`. */
  handlerFunction: DurableLambdaHandler;
  /** Overrides the `skipTime` given to `setupTestEnvironment` for this runner. */
  skipTime?: boolean;
  /** Overrides the `checkpointDelay` given to `setupTestEnvironment` for this runner. */
  checkpointDelay?: number;
  /** Store every run's execution here (e.g. a FileExecutionStore) instead of a fresh memory store. */
  store?: ExecutionStore;
  /** Full control over the service a run uses; it must read time from `clock`. Wins over `store`. */
  createService?: (clock: Clock) => DurableExecutionService;
  /**
   * Write the default logger's lines to stdout (DEBUG, INFO) and stderr (WARN, ERROR) as the AWS
   * testing runner lets them through, honouring `AWS_LAMBDA_LOG_LEVEL`, so a test capturing the
   * process output sees the same lines. Lines are collected for `getLogs()` either way. Default true.
   */
  printLogs?: boolean;
  /** Also print every log line the handler emits in Cairn's readable format. Default false. */
  echoLogs?: boolean;
  /** Called with every log record as the handler emits it (those of crashed invocations excepted). */
  onLog?: (record: DurableLogRecord) => void;
  /** Invocations per run before it fails with InvocationLimitError (default 1000). */
  maxInvocations?: number;
  /** Consecutive invocations without progress before NoProgressError (default 10). */
  maxInvocationsWithoutProgress?: number;
  /**
   * What a replay mismatch does. `"fail"` (the default, as AWS's testing library does) fails the
   * execution with `NonDeterministicExecutionError`. `"block"` does what the `cairn` CLI and the
   * DynamoDB workers do: the execution stays RUNNING with `blocked` set, and the run ends with
   * `getOrchestrationState()` `"blocked"` and `getError()` naming the diverging operation.
   */
  onNondeterminism?: NondeterminismPolicy;
  /**
   * The simulated function timeout: `getRemainingTimeInMillis` counts down from it on the run's
   * clock (virtual under skipTime, where time passes only when waits or retries are skipped or a
   * test advances it). Lets tests exercise yielding before the timeout. Default 15 minutes.
   */
  invocationTimeoutMs?: number;
  /**
   * The function name the handler sees as `context.functionName` (default `"cairn-local"`), also
   * recorded with the execution.
   */
  functionName?: string;
}

/** One run of a test runner: the handler's input, and for the local runner the crashes to inject. */
export interface InvokeRequest {
  /**
   * The event, sent to the handler as JSON. Absent (or `undefined`), the handler gets `{}`, as a
   * Lambda function invoked without a payload does; `null` is passed as `null`.
   */
  payload?: unknown;
  /**
   * Crashes to inject (a Cairn addition; see {@link FaultPlan}). The cloud runner rejects a run
   * that has them: a deployed function cannot be crashed from the test.
   */
  faults?: FaultPlan;
  /**
   * The durable execution's name (default: its generated id). On a shared `store`, a name already
   * used with the same payload continues that execution instead of starting another; with another
   * payload the run rejects with ExecutionAlreadyExistsError. The cloud runner sends it as
   * `DurableExecutionName`.
   */
  executionName?: string;
  /**
   * Stops the run between invocations or while it sleeps until a timer; the result then reports
   * the execution still RUNNING (`getOrchestrationState()` is `"aborted"`).
   */
  signal?: AbortSignal;
}

interface CurrentRun {
  service: DurableExecutionService;
  wakeups: CallbackWakeups;
  sleep: (ms: number) => Promise<void>;
  /** Publishes the latest state to waiting handles (to every handle with `force`); resolves when done. */
  refresh: (force?: boolean) => Promise<void>;
}

interface Waiter {
  ready: (snapshot: ExecutionSnapshot) => boolean;
  what: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Refuses a `checkpointDelay` that would not delay as asked: NaN or a negative number would silently
 * mean no delay, and Infinity a delay of about 1 ms (a timer overflow). Absent or null stays "use the
 * default", as `??` reads it.
 */
function checkCheckpointDelay(where: string, delay: unknown): void {
  if (delay === undefined || delay === null) return;
  if (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0) {
    const got = typeof delay === "string" ? JSON.stringify(delay) : String(delay);
    throw new RangeError(`${where}: checkpointDelay must be a number of milliseconds >= 0, got ${got}`);
  }
}

/**
 * Runs a durable handler in-process against a local checkpoint service, invoking it again after
 * every suspension or crash until the execution finishes, and lets the test inspect the result.
 * Same names and shapes as the AWS testing library's runner, plus fault injection, logs,
 * chained-invoke targets and {@link LocalDurableTestRunner.sleep | sleep}.
 *
 * Each `run` starts a new execution on a fresh in-memory store (unless `store` or `createService`
 * is given). Handles from `getOperation*` can be taken before the run; they read the latest run.
 *
 * @typeParam TResult - the handler's result; `any` by default, as in the AWS testing library.
 *
 * @example
 * ```ts
 * const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
 * const ship = runner.getOperation("ship");            // a handle, filled in as the run goes
 *
 * const result = await runner.run({ payload: { id: "o-1" } });
 * expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
 * expect(ship.getStepDetails()?.result).toEqual(result.getResult());
 * ```
 *
 * @example Answering a callback mid-run
 * ```ts
 * const running = runner.run({ payload });           // not awaited yet
 * const approval = runner.getOperation("approval");
 * await approval.waitForData(WaitingOperationStatus.SUBMITTED);
 * await approval.sendCallbackSuccess(JSON.stringify({ approved: true }));
 * const result = await running;
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
export class LocalDurableTestRunner<TResult = any> implements DurableTestRunner<DurableOperation, TResult> {
  static #skipTime = false;
  static #checkpointDelay = 0;

  readonly #params: LocalDurableTestRunnerParameters;
  #snapshot: ExecutionSnapshot = ExecutionSnapshot.empty;
  #waiters = new Set<Waiter>();
  #runsInFlight = 0;
  #runsFinished = 0;
  /** Stores this runner created for one run each, by the service using them. */
  readonly #ownStores = new WeakMap<DurableExecutionService, MemoryExecutionStore>();
  readonly #source: OperationSource;
  /** What ctx.invoke can reach, by function id (registerDurableFunction / registerFunction). */
  readonly #functions = new Map<string, ChainedFunction>();
  /** The run in flight (or the last one): where callbacks sent through handles go. */
  #current: CurrentRun | undefined;

  /**
   * @param params - the handler and how to run it.
   * @throws TypeError when `params.handlerFunction` is not a function.
   * @throws RangeError when `params.checkpointDelay` is not a finite number >= 0.
   */
  constructor(params: LocalDurableTestRunnerParameters) {
    if (typeof params?.handlerFunction !== "function") {
      throw new TypeError("LocalDurableTestRunner: handlerFunction must be the function returned by withDurableExecution");
    }
    checkCheckpointDelay("LocalDurableTestRunner", params.checkpointDelay);
    this.#params = params;
    this.#source = {
      snapshot: () => this.#snapshot,
      waitUntil: (ready, what) => this.#waitUntil(ready, what),
      sendCallback: (callbackId, completion) => this.#sendCallback(callbackId, completion),
    };
  }

  /**
   * Sets the defaults (`skipTime`, `checkpointDelay`) for runners that do not set their own.
   * Installs nothing global — no fake timers — so it only changes how runners run; kept async
   * for the AWS testing library's call shape (`await LocalDurableTestRunner.setupTestEnvironment(...)`).
   *
   * @example
   * ```ts
   * beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
   * afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());
   * ```
   *
   * @throws RangeError when `params.checkpointDelay` is not a finite number >= 0 (the promise rejects).
   */
  static async setupTestEnvironment(params: LocalDurableTestRunnerSetupParameters = {}): Promise<void> {
    checkCheckpointDelay("LocalDurableTestRunner.setupTestEnvironment", params.checkpointDelay);
    LocalDurableTestRunner.#skipTime = params.skipTime ?? false;
    LocalDurableTestRunner.#checkpointDelay = params.checkpointDelay ?? 0;
  }

  /** Restores the defaults {@link setupTestEnvironment} changed: real time, no checkpoint delay. */
  static async teardownTestEnvironment(): Promise<void> {
    LocalDurableTestRunner.#skipTime = false;
    LocalDurableTestRunner.#checkpointDelay = 0;
  }

  /**
   * Starts a new execution with `params.payload` and invokes the handler until the execution ends
   * (or `params.signal` aborts the run), then resolves with what happened. A handler that fails
   * makes a FAILED result, not a rejection. A run waiting only on callbacks parks until the test
   * sends one through a handle.
   *
   * Do not await it yet when the test must act during the run (answer a callback, `sleep`):
   * keep the promise, act through the runner's handles, then await it.
   *
   * @throws InvocationLimitError when the execution needs more than `maxInvocations` invocations.
   * @throws NoProgressError when `maxInvocationsWithoutProgress` invocations in a row store nothing.
   * @throws RangeError when `params.faults` holds a checkpoint number that is not a positive integer.
   */
  async run(params: InvokeRequest = {}): Promise<TestResult<TResult>> {
    const skipTime = this.#params.skipTime ?? LocalDurableTestRunner.#skipTime;
    const skipped = skipTime ? new SkippedTimeClock() : undefined;
    const clock: Clock = skipped ?? systemClock;
    const service = this.#serviceFor(clock);
    const injector = createFaultInjector(params.faults);
    const logs: DurableLogRecord[] = [];
    const echo = this.#params.echoLogs === true;
    const print = this.#params.printLogs !== false;
    const checkpointDelay = this.#params.checkpointDelay ?? LocalDurableTestRunner.#checkpointDelay;
    let executionArn: string | undefined;

    // Keeps pre-fetched handles current while somebody waits for an operation mid-run.
    let refreshing: Promise<void> = Promise.resolve();
    const refresh = (force = false): void => {
      if ((this.#waiters.size === 0 && !force) || executionArn === undefined) return;
      const arn = executionArn;
      refreshing = refreshing
        .then(async () => this.#publish(await snapshotOf(service, arn)))
        .catch(() => undefined);
    };
    const observe = (backend: CheckpointBackend): CheckpointBackend => ({
      getExecutionState: (request) => backend.getExecutionState(request),
      checkpoint: async (request) => {
        if (checkpointDelay > 0) await sleep(checkpointDelay);
        const response = await backend.checkpoint(request);
        refresh();
        return response;
      },
    });

    const wakeups = new CallbackWakeups();
    // Made on the first real-time sleep only: most runs never sleep, and aborting costs an event.
    let runEnded: AbortController | undefined;
    let endedReason: Error | undefined;
    const runEndedSignal = (): AbortSignal => {
      if (!runEnded) {
        runEnded = new AbortController();
        if (endedReason) runEnded.abort(endedReason);
      }
      return runEnded.signal;
    };
    this.#current = {
      service,
      wakeups,
      sleep: (ms) => (skipped ? skipped.sleep(ms) : sleep(ms, undefined, { signal: runEndedSignal() })),
      refresh: (force) => {
        refresh(force);
        return refreshing;
      },
    };
    const onWaiting = createWaitingHook({
      service,
      skipped,
      now: () => clock.now(),
      wakeups,
      publish: (force) => this.#current?.refresh(force) ?? Promise.resolve(),
    });

    this.#runsInFlight++;
    try {
      const outcome = await runExecution({
        service,
        clock,
        handler: this.#params.handlerFunction,
        target: {
          start: {
            // No payload is `{}`, as the AWS runner (and Lambda) hand it over.
            input: JSON.stringify(params.payload) ?? "{}",
            executionName: params.executionName,
            functionName: this.#params.functionName,
          },
        },
        functionName: this.#params.functionName,
        logSink: (record) => {
          logs.push(record);
          if (print && record.defaultLine !== undefined) writeDefaultLogLine(record.level, record.defaultLine);
          if (echo) console.log(formatLogRecord(record));
          this.#params.onLog?.(record);
        },
        wrapBackend: (backend, invocation) => injector.wrap(observe(backend), invocation),
        // Both wrappers hand reads on untouched: replays load the state without the service's copies.
        wrapperPassesReads: true,
        onExecutionStarted: (execution) => {
          executionArn = execution.executionArn;
        },
        onInvocation: () => refresh(),
        onWaiting,
        waitForExternalChange: createExternalChangeWatch({ service, now: () => clock.now(), wakeups }),
        functions: this.#functions,
        maxInvocations: this.#params.maxInvocations,
        maxInvocationsWithoutProgress: this.#params.maxInvocationsWithoutProgress,
        onNondeterminism: this.#params.onNondeterminism,
        invocationTimeoutMs: this.#params.invocationTimeoutMs,
        signal: params.signal,
      });
      await refreshing;
      const snapshot = await this.#finalSnapshot(service, outcome.execution.executionArn);
      this.#publish(snapshot);
      return createTestResult<TResult>({
        execution: outcome.execution,
        snapshot,
        logs,
        injectedCrashes: injector.crashes(),
        state: outcome.state,
      });
    } catch (error) {
      // Leave what happened inspectable through the runner's handles.
      if (executionArn !== undefined) {
        await refreshing;
        const snapshot = await snapshotOf(service, executionArn).catch(() => undefined);
        if (snapshot) this.#publish(snapshot);
      }
      throw error;
    } finally {
      const ended = new Error("LocalDurableTestRunner.sleep: the run ended before the sleep was over");
      skipped?.close(ended);
      endedReason = ended;
      runEnded?.abort(ended);
      this.#runsInFlight--;
      this.#runsFinished++;
      if (this.#runsInFlight === 0) this.#rejectWaiters((w) => `The execution ended without ${w.what}`);
    }
  }

  /**
   * Makes a durable handler (from withDurableExecution) reachable by `ctx.invoke(functionName, …)`.
   * It runs as its own durable execution in the same service, on the same clock (skipped time
   * included), and may itself invoke registered functions. Its log lines appear in the caller's
   * `getLogs()`, marked `invokedAs`. An invoke of an id nobody registered fails with
   * FunctionNotFoundError.
   *
   * @returns this runner, for chaining.
   * @throws TypeError when `functionName` is empty or `durableHandler` is not a function.
   *
   * @example
   * ```ts
   * runner.registerDurableFunction("charge-card", chargeCardHandler);
   * ```
   */
  registerDurableFunction(functionName: string, durableHandler: DurableLambdaHandler): this {
    return this.#register("registerDurableFunction", functionName, { durable: true, handler: durableHandler });
  }

  /**
   * Makes a plain async function reachable by `ctx.invoke(functionName, …)`: it is called with the
   * invoke's input (parsed JSON; `{}` when the invoke has none) and its JSON result becomes the
   * invoke's result; a throw fails the invoke with InvokeError. Use it for targets that are not
   * durable themselves.
   *
   * @returns this runner, for chaining.
   * @throws TypeError when `functionName` is empty or `handler` is not a function.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the event and result are the function's own
  registerFunction(functionName: string, handler: (event: any, context: LambdaContextLike) => unknown): this {
    return this.#register("registerFunction", functionName, { durable: false, handler });
  }

  #register(method: string, functionName: string, fn: ChainedFunction): this {
    if (typeof functionName !== "string" || functionName.length === 0) {
      throw new TypeError(`LocalDurableTestRunner.${method}: functionName must be a non-empty string (the id ctx.invoke uses)`);
    }
    if (typeof fn.handler !== "function") {
      throw new TypeError(`LocalDurableTestRunner.${method}("${functionName}"): the handler must be a function`);
    }
    this.#functions.set(functionName, fn);
    return this;
  }

  /**
   * Resolves after `duration` of the run's time (a Cairn addition): a real timer, or in skipped
   * time when virtual time reaches it — which happens only while the execution waits, so e.g.
   * `await runner.sleep({ minutes: 5 }); await op.sendCallbackSuccess(...)` answers a callback
   * five virtual minutes after it started, before a longer timeout is skipped past.
   *
   * @param duration - e.g. `{ minutes: 5 }`; whole seconds, zero allowed.
   * @throws Error when no run has started (call `run()` first, without awaiting it); the promise
   *   rejects if the run ends before the time is reached.
   */
  async sleep(duration: Duration): Promise<void> {
    const seconds = wholeSeconds(duration, "LocalDurableTestRunner.sleep duration", { allowZero: true });
    const run = this.#current;
    if (!run) throw new Error("LocalDurableTestRunner.sleep: no run has started; call run() first (without awaiting it).");
    await run.sleep(seconds * 1000);
  }

  async #sendCallback(callbackId: string, completion: CallbackSend): Promise<CallbackCompletionResult> {
    const run = this.#current;
    if (!run) throw new Error("No run has started: call run() (without awaiting it) before sending callbacks.");
    const send =
      completion.kind === "success"
        ? run.service.sendCallbackSuccess(callbackId, completion.payload)
        : completion.kind === "failure"
          ? run.service.sendCallbackFailure(callbackId, completion.error)
          : run.service.sendCallbackHeartbeat(callbackId);
    const result = await run.wakeups.track(send);
    run.wakeups.acted();
    if (completion.kind !== "heartbeat") run.wakeups.notify();
    await run.refresh();
    return result;
  }

  /**
   * A handle on the operation named `name` (the `index`-th of that name, 0-based; default the
   * first). It can be taken before the run: it reads the runner's current or last run each time,
   * and its getters return `undefined` until the run reaches the operation.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
  getOperation<TOperationResult = any>(name: string, index = 0): DurableOperation<TOperationResult> {
    return this.#handle({ kind: "name", name, index });
  }

  /** A handle on the operation at `index` in execution order (0-based, the order they started in; -1 is the last, as with `Array.at`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
  getOperationByIndex<TOperationResult = any>(index: number): DurableOperation<TOperationResult> {
    return this.#handle({ kind: "index", index });
  }

  /** A handle on the `index`-th (0-based; -1 the last) operation named `name`; the same as `getOperation(name, index)`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
  getOperationByNameAndIndex<TOperationResult = any>(name: string, index: number): DurableOperation<TOperationResult> {
    return this.#handle({ kind: "name", name, index });
  }

  /**
   * A handle on the operation with this id: Cairn's ids are positional (`"1"`, `"2-3"` for the
   * third operation inside the second), so they are stable across runs of the same handler.
   */
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
    // Taken mid-run, a handle is often for answering a callback from the test (see ANSWER_GRACE_MS).
    if (this.#runsInFlight > 0) this.#current?.wakeups.acted();
    return new OperationHandle<T>(this.#source, selector);
  }

  #serviceFor(clock: Clock): DurableExecutionService {
    if (this.#params.createService) return this.#params.createService(clock);
    const store = this.#params.store ?? new MemoryExecutionStore();
    const service = new CheckpointService({ store, clock });
    if (store instanceof MemoryExecutionStore && !this.#params.store) this.#ownStores.set(service, store);
    return service;
  }

  /**
   * The finished execution's data. From a store this run created and nobody else writes, it is
   * read in place, on first use; otherwise it is copied out of the service now.
   */
  async #finalSnapshot(service: DurableExecutionService, executionArn: string): Promise<ExecutionSnapshot> {
    const store = this.#ownStores.get(service);
    const executionId = executionIdOfArn(executionArn);
    if (!store || executionId === undefined) return snapshotOf(service, executionArn);
    return ExecutionSnapshot.lazy(() => {
      const record = store.peek(executionId);
      return { operations: record ? [...record.operations.values()] : [], events: record?.history ?? [] };
    });
  }

  #publish(snapshot: ExecutionSnapshot): void {
    this.#snapshot = snapshot;
    for (const waiter of [...this.#waiters]) {
      if (waiter.ready(snapshot)) {
        this.#waiters.delete(waiter);
        // The test wakes up to act on what it waited for.
        this.#current?.wakeups.acted();
        waiter.resolve();
      }
    }
  }

  #waitUntil(ready: (snapshot: ExecutionSnapshot) => boolean, what: string): Promise<void> {
    if (this.#runsInFlight > 0) this.#current?.wakeups.acted();
    if (ready(this.#snapshot)) return Promise.resolve();
    // Before any run, wait for one (a test may take a handle and wait before starting the run).
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

async function snapshotOf(service: DurableExecutionService, executionArn: string): Promise<ExecutionSnapshot> {
  const [operations, events] = await Promise.all([service.getOperations(executionArn), service.getHistory(executionArn)]);
  return ExecutionSnapshot.build(operations, events);
}

function formatLogRecord(record: DurableLogRecord): string {
  const where = record.operationName ?? record.operationId;
  return `[${record.level}]${where ? ` ${where}` : ""}${record.attempt ? ` #${record.attempt}` : ""}: ${record.message}`;
}
