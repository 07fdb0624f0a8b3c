import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
  OperationType,
} from "@aws/durable-execution-sdk-js-testing";
import { checkout, operationInCheck, operationInStep, parentInChild } from "./child-contexts";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("child contexts", () => {
  it("groups operations under the child context and returns its result", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: checkout });
    const result = await runner.run({ payload: { items: [10, 20, 30] } });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({ total: 72, receipt: "total 72" });
    const price = runner.getOperation("price");
    expect(price.getType()).toBe(OperationType.CONTEXT);
    expect(price.getSubType()).toBe("RunInChildContext");
    expect(price.getContextDetails()?.result).toBe(72);
    expect(price.getChildOperations()?.map((op) => [op.getType(), op.getName()])).toEqual([
      [OperationType.STEP, "subtotal"],
      [OperationType.WAIT, undefined],
      [OperationType.STEP, "with-tax"],
    ]);
    expect(runner.getOperation("with-tax").getParentId()).toBe(price.getId());
    expect(runner.getOperation("receipt").getStepDetails()?.result).toBe("total 72");
    expect(result.getOperations({ status: OperationStatus.SUCCEEDED })).toHaveLength(6);
  });

  it("fails at once when a child uses its parent's context", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: parentInChild });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError()).toEqual({
      errorType: "Error",
      errorMessage: expect.stringContaining("Context usage error"),
      errorData: undefined,
      stackTrace: undefined,
    });
    expect(result.getError().errorMessage).toMatch(/step/);
    expect(result.getOperations().map((op) => [op.getName(), op.getStatus()])).toEqual([["child", OperationStatus.STARTED]]);
    expect(result.getInvocations()).toHaveLength(1);
    expect(result.getHistoryEvents().map((event) => event.EventType)).toEqual([
      "ExecutionStarted",
      "ContextStarted",
      "InvocationCompleted",
      "ExecutionFailed",
    ]);
  });

  it("fails at once when a step body calls a durable operation", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: operationInStep });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError().errorType).toBe("Error");
    expect(result.getError().errorMessage).toMatch(/Context usage error.*wait/);
    expect(runner.getOperation("outer").getStatus()).toBe(OperationStatus.STARTED);
    expect(result.getOperations()).toHaveLength(1);
    expect(result.getInvocations()).toHaveLength(1);
  });

  it("fails at once when a waitForCondition check uses the outer context", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: operationInCheck });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError().errorType).toBe("Error");
    expect(result.getError().errorMessage).toMatch(/Context usage error.*step/);
    expect(result.getOperations().map((op) => op.getName())).toEqual(["poll"]);
    expect(result.getInvocations()).toHaveLength(1);
  });
});
