import {
  ChildContextError,
  StepError,
  withDurableExecution,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";
import { ExecutionStatus, LocalDurableTestRunner, OperationStatus } from "@aws/durable-execution-sdk-js-testing";

class OutOfStockError extends Error {
  constructor(readonly sku: string) {
    super(`${sku} is out of stock`);
    this.name = "OutOfStockError";
  }
}

const throwsInHandler = withDurableExecution(async (event: { sku: string }) => {
  throw new OutOfStockError(event.sku);
});

const throwsInStep = withDurableExecution(async (event: { sku: string }, context: DurableContext) => {
  await context.step("reserve", async () => {
    throw new OutOfStockError(event.sku);
  }, { retryStrategy: () => ({ shouldRetry: false }) });
});

const catchesAndReports = withDurableExecution(async (event: { sku: string }, context: DurableContext) => {
  try {
    await context.runInChildContext("reserve-all", async (child) => {
      await child.step("reserve", async () => {
        throw new OutOfStockError(event.sku);
      }, { retryStrategy: () => ({ shouldRetry: false }) });
    });
    return { reserved: true };
  } catch (error) {
    return {
      reserved: false,
      isChildContextError: error instanceof ChildContextError,
      isStepError: error instanceof StepError,
      name: (error as Error).name,
      message: (error as Error).message,
    };
  }
});

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("errors", () => {
  it("reports an error thrown by the handler through getError", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: throwsInHandler });
    const result = await runner.run({ payload: { sku: "sku-1" } });

    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError()).toEqual({
      errorType: "OutOfStockError",
      errorMessage: "sku-1 is out of stock",
      errorData: undefined,
      stackTrace: undefined,
    });
    expect(result.getOperations()).toHaveLength(0);
  });

  it("reports a step's error on the step and on the execution", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: throwsInStep });
    const result = await runner.run({ payload: { sku: "sku-2" } });

    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError()).toEqual({
      errorType: "StepError",
      errorMessage: "sku-2 is out of stock",
      errorData: undefined,
      stackTrace: undefined,
    });
    expect(runner.getOperation("reserve").getStepDetails()).toEqual({
      attempt: 1,
      nextAttemptTimestamp: undefined,
      result: undefined,
      error: {
        errorType: "OutOfStockError",
        errorMessage: "sku-2 is out of stock",
        errorData: undefined,
        stackTrace: undefined,
      },
    });
  });

  it("hands the handler a ChildContextError it can catch", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: catchesAndReports });
    const result = await runner.run({ payload: { sku: "sku-3" } });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({
      reserved: false,
      isChildContextError: true,
      isStepError: false,
      name: "ChildContextError",
      message: "sku-3 is out of stock",
    });
    const child = runner.getOperation("reserve-all");
    expect(child.getStatus()).toBe(OperationStatus.FAILED);
    expect(child.getContextDetails()?.error).toEqual({
      errorType: "StepError",
      errorMessage: "sku-3 is out of stock",
      errorData: undefined,
      stackTrace: undefined,
    });
  });

  it("throws from getError when the execution succeeded", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: catchesAndReports });
    const result = await runner.run({ payload: { sku: "sku-4" } });

    expect(() => result.getError()).toThrow();
  });
});
