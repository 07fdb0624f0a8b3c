// Each SDK's own test runner behind one small shape, so a scenario is driven once for both. The
// methods used are the ones both testing libraries name alike; only construction, setup and the
// handler types differ, and those stay here.
import type { SdkName } from "./generate.js";

/** The operation accessors both runners' DurableOperation share. */
export interface OperationView {
  getId(): string | undefined;
  getParentId(): string | undefined;
  getName(): string | undefined;
  getType(): string | undefined;
  getSubType(): string | undefined;
  getStatus(): string | undefined;
}

export interface CallbackHandle {
  waitForData(status?: never): Promise<unknown>;
  sendCallbackSuccess(result?: string): Promise<unknown>;
  sendCallbackFailure(error?: { ErrorMessage?: string; ErrorType?: string }): Promise<unknown>;
}

export interface ResultView {
  getStatus(): string | undefined;
  getResult(): unknown;
  getError(): { errorType?: string | undefined; errorMessage?: string | undefined } | undefined;
  getOperations(): OperationView[];
}

export interface CompatRunner {
  run(request: { payload?: unknown }): Promise<ResultView>;
  getOperation(name: string): CallbackHandle;
  registerDurableFunction(name: string, handler: unknown): void;
  registerFunction(name: string, handler: unknown): void;
}

export interface RunnerKit {
  sdk: SdkName;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  create(handler: unknown): CompatRunner;
  /** WaitingOperationStatus.STARTED of this SDK's testing library. */
  started: never;
}

export async function loadRunnerKit(sdk: SdkName): Promise<RunnerKit> {
  if (sdk === "cairn") {
    const { LocalDurableTestRunner, WaitingOperationStatus } = await import("@cairn/testing");
    return {
      sdk,
      setup: () => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }),
      teardown: () => LocalDurableTestRunner.teardownTestEnvironment(),
      create: (handler) =>
        new LocalDurableTestRunner({ handlerFunction: handler as never }) as unknown as CompatRunner,
      started: WaitingOperationStatus.STARTED as never,
    };
  }
  const { LocalDurableTestRunner, WaitingOperationStatus } = await import("@aws/durable-execution-sdk-js-testing");
  return {
    sdk,
    // Starts its checkpoint server (a worker thread) and installs fake timers that skip time.
    setup: () => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }),
    teardown: () => LocalDurableTestRunner.teardownTestEnvironment(),
    create: (handler) => new LocalDurableTestRunner({ handlerFunction: handler as never }) as unknown as CompatRunner,
    started: WaitingOperationStatus.STARTED as never,
  };
}
