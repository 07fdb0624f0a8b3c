import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
  OperationType,
  WaitingOperationStatus,
} from "@aws/durable-execution-sdk-js-testing";
import { approval, heartbeats, rejectable, submissions, submitted, unanswered } from "./callbacks";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("callbacks", () => {
  it("resumes with the answer the test sends", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: approval });
    const running = runner.run({ payload: { orderId: "o-1" } });

    const callback = await runner.getOperation("approval").waitForData(WaitingOperationStatus.STARTED);
    expect(callback.getType()).toBe(OperationType.CALLBACK);
    expect(callback.isCallback()).toBe(true);
    expect(callback.getCallbackDetails()?.callbackId).toEqual(expect.any(String));
    await callback.sendCallbackSuccess(JSON.stringify({ approved: true }));

    const result = await running;
    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({ orderId: "o-1", approved: true });
    expect(runner.getOperation("approval").getCallbackDetails()?.result).toEqual({ approved: true });
    expect(runner.getOperation("notify-approver").getStepDetails()?.result).toBe("sent true");
  });

  it("hands the handler the failure the test sends", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: rejectable });
    const running = runner.run();

    const review = runner.getOperation("review");
    await review.waitForData(WaitingOperationStatus.STARTED);
    await review.sendCallbackFailure({ ErrorType: "Rejected", ErrorMessage: "not today", ErrorData: '{"by":"bob"}' });

    const result = await running;
    expect(result.getResult()).toEqual({
      rejected: true,
      isCallbackError: true,
      name: "CallbackExternalError",
      message: "not today",
    });
    expect(review.getStatus()).toBe(OperationStatus.FAILED);
    expect(review.getCallbackDetails()).toEqual({
      callbackId: expect.any(String),
      error: { errorType: "Rejected", errorMessage: "not today", errorData: '{"by":"bob"}', stackTrace: undefined },
    });
    expect(result.getHistoryEvents().map((event) => event.EventType)).toEqual([
      "ExecutionStarted",
      "CallbackStarted",
      "CallbackFailed",
      "InvocationCompleted",
      "InvocationCompleted",
      "ExecutionSucceeded",
    ]);
  });

  it("keeps a callback alive while the test sends heartbeats in real time", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: heartbeats });
    const running = runner.run();

    const task = runner.getOperation("long-task");
    await task.waitForData(WaitingOperationStatus.STARTED);
    for (let beat = 0; beat < 4; beat++) {
      await sleep(500);
      await task.sendCallbackHeartbeat();
    }
    await task.sendCallbackSuccess("finished");

    const result = await running;
    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({ longTask: "finished" });
    expect(task.getStatus()).toBe(OperationStatus.SUCCEEDED);
  });

  it("times a callback out when its heartbeats stop", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: heartbeats });
    const running = runner.run();

    const task = runner.getOperation("long-task");
    await task.waitForData(WaitingOperationStatus.STARTED);
    await task.sendCallbackHeartbeat();

    const result = await running;
    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(task.getStatus()).toBe(OperationStatus.TIMED_OUT);
    expect(result.getError()).toEqual({
      errorType: "CallbackTimeoutError",
      errorMessage: "Callback timed out on heartbeat",
      errorData: undefined,
      stackTrace: undefined,
    });
  });

  it("times a callback out when nobody answers", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: unanswered });
    const result = await runner.run();

    const callback = runner.getOperation("never-answered");
    expect(callback.getStatus()).toBe(OperationStatus.TIMED_OUT);
    expect(result.getHistoryEvents().map((event) => event.EventType)).toContain("CallbackTimedOut");
    expect((result.getResult() as { name: string }).name).toBe("CallbackTimeoutError");
    expect(callback.getCallbackDetails()?.error?.errorMessage).toBe("Callback timed out");
    expect(result.getResult()).toEqual({ name: "CallbackTimeoutError", message: "Callback timed out" });
  });

  it("runs the waitForCallback submitter and resumes with the answer", async () => {
    submissions.length = 0;
    const runner = new LocalDurableTestRunner({ handlerFunction: submitted });
    const running = runner.run({ payload: { user: "ada" } });

    const check = runner.getOperation("external-check");
    await check.waitForData(WaitingOperationStatus.SUBMITTED);
    expect(check.isWaitForCallback()).toBe(true);
    expect(check.getType()).toBe(OperationType.CONTEXT);
    expect(check.getSubType()).toBe("WaitForCallback");
    await check.sendCallbackSuccess(JSON.stringify({ score: 7 }));

    const result = await running;
    expect(result.getResult()).toEqual({ reply: { score: 7 } });
    expect(submissions).toEqual([{ user: "ada", callbackIdLength: expect.any(Number) }]);
    expect(result.getOperations().map((op) => [op.getType(), op.getSubType(), op.getStatus()])).toEqual([
      [OperationType.CONTEXT, "WaitForCallback", OperationStatus.SUCCEEDED],
      [OperationType.CALLBACK, "Callback", OperationStatus.SUCCEEDED],
      [OperationType.STEP, "Step", OperationStatus.SUCCEEDED],
    ]);
    expect(result.getInvocations()).toHaveLength(2);
  });
});
