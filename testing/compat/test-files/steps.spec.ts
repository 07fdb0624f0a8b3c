import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
  OperationType,
} from "@aws/durable-execution-sdk-js-testing";
import { atMostOnce, exhausted, flaky, greet, sideEffects } from "./steps";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("steps", () => {
  it("returns each step's result and names the steps", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: greet });
    const result = await runner.run({ payload: { name: "ada" } });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({ greeting: "hello ada", length: 9 });
    const operations = result.getOperations();
    expect(operations).toHaveLength(2);
    expect(operations.map((op) => op.getType())).toEqual([OperationType.STEP, OperationType.STEP]);
    expect(operations.map((op) => op.getStatus())).toEqual([OperationStatus.SUCCEEDED, OperationStatus.SUCCEEDED]);
    expect(runner.getOperation("greet").getStepDetails()?.result).toBe("hello ada");
    expect(runner.getOperationByIndex(1).getName()).toBeUndefined();
    expect(runner.getOperationByIndex(1).getStepDetails()?.result).toBe(9);
    expect(result.getInvocations()).toHaveLength(1);
  });

  it("retries a failing step with the configured strategy until it succeeds", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: flaky });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toBe("ok on attempt 3");
    const details = runner.getOperation("flaky").getStepDetails();
    expect(details?.attempt).toBe(3);
    expect(details?.result).toBe("ok on attempt 3");
    expect(details?.error).toBeUndefined();
    expect(result.getHistoryEvents().map((event) => event.EventType)).toEqual([
      "ExecutionStarted",
      "StepStarted",
      "StepFailed",
      "InvocationCompleted",
      "StepStarted",
      "StepFailed",
      "InvocationCompleted",
      "StepStarted",
      "StepSucceeded",
      "InvocationCompleted",
      "ExecutionSucceeded",
    ]);
    expect(result.getInvocations()).toHaveLength(3);
  });

  it("fails the execution with the step's error once the attempts run out", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: exhausted });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError()).toEqual({
      errorType: "StepError",
      errorMessage: "card declined",
      errorData: undefined,
      stackTrace: undefined,
    });
    const step = runner.getOperation("charge-card");
    expect(step.getStatus()).toBe(OperationStatus.FAILED);
    expect(step.getStepDetails()?.error).toEqual({
      errorType: "Error",
      errorMessage: "card declined",
      errorData: undefined,
      stackTrace: undefined,
    });
    expect(() => result.getResult()).toThrow();
  });

  it("does not run an at-most-once step again when the handler replays", async () => {
    sideEffects.charges = 0;
    const runner = new LocalDurableTestRunner({ handlerFunction: atMostOnce });
    const result = await runner.run();

    expect(result.getResult()).toEqual({ charged: 42 });
    expect(sideEffects.charges).toBe(1);
    expect(runner.getOperation("charge").getStepDetails()?.attempt).toBe(1);
  });
});
