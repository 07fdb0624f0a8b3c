import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
  OperationType,
  type DurableOperation,
  type Invocation,
  type TestResult,
  type TestResultError,
} from "@aws/durable-execution-sdk-js-testing";

const handler = withDurableExecution(async (event: { rounds: number }, context: DurableContext) => {
  let total = 0;
  for (let round = 1; round <= event.rounds; round++) {
    total += await context.step("round", async () => round * 10);
  }
  await context.wait("rest", { seconds: 3 });
  return { total };
});

function namesAndResults(operations: DurableOperation[]): [string | undefined, unknown][] {
  return operations.map((op) => [op.getName(), op.getType() === OperationType.STEP ? op.getStepDetails()?.result : undefined]);
}

function summary(result: TestResult<{ total: number }>): { status: ExecutionStatus | undefined; total: number | undefined } {
  return { status: result.getStatus(), total: result.getResult()?.total };
}

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("one runner reused across tests", () => {
  const runner = new LocalDurableTestRunner<{ total: number }>({ handlerFunction: handler });

  beforeEach(() => {
    runner.reset();
  });

  it("finds operations by name and index, by position and by id", async () => {
    const result = await runner.run({ payload: { rounds: 3 } });

    expect(summary(result)).toEqual({ status: ExecutionStatus.SUCCEEDED, total: 60 });
    expect(namesAndResults(result.getOperations())).toEqual([
      ["round", 10],
      ["round", 20],
      ["round", 30],
      ["rest", undefined],
    ]);
    expect(runner.getOperation("round").getStepDetails()?.result).toBe(10);
    expect(runner.getOperation("round", 2).getStepDetails()?.result).toBe(30);
    expect(runner.getOperationByNameAndIndex("round", 1).getStepDetails()?.result).toBe(20);
    expect(runner.getOperationByIndex(3).getName()).toBe("rest");
    const second = runner.getOperationByIndex(1);
    expect(runner.getOperationById(second.getId()!).getStepDetails()?.result).toBe(20);
  });

  it("starts from a clean slate after reset()", async () => {
    const result = await runner.run({ payload: { rounds: 1 } });

    expect(summary(result)).toEqual({ status: ExecutionStatus.SUCCEEDED, total: 10 });
    expect(result.getOperations()).toHaveLength(2);
    expect(runner.getOperationByIndex(1).getName()).toBe("rest");
  });

  it("describes operations, events and invocations", async () => {
    const result = await runner.run({ payload: { rounds: 1 } });

    const step = runner.getOperation("round");
    expect(step.getStatus()).toBe(OperationStatus.SUCCEEDED);
    expect(step.getParentId()).toBeUndefined();
    expect(step.getStartTimestamp()).toBeInstanceOf(Date);
    expect(step.getEndTimestamp()!.getTime()).toBeGreaterThanOrEqual(step.getStartTimestamp()!.getTime());
    expect(step.getOperationData()).toMatchObject({
      Name: "round",
      Type: OperationType.STEP,
      Status: OperationStatus.SUCCEEDED,
      StepDetails: { Result: "10" },
    });
    expect(step.getEvents()?.map((event) => event.EventType)).toEqual(["StepStarted", "StepSucceeded"]);
    const invocations: Invocation[] = result.getInvocations();
    expect(invocations.length).toBeGreaterThanOrEqual(1);
    for (const invocation of invocations) {
      expect(invocation.startTimestamp).toBeInstanceOf(Date);
      expect(invocation.endTimestamp).toBeInstanceOf(Date);
      expect(invocation.requestId).toEqual(expect.any(String));
      expect(invocation.error).toBeUndefined();
    }
    const noError: TestResultError | undefined = step.getStepDetails()?.error;
    expect(noError).toBeUndefined();
  });
});
