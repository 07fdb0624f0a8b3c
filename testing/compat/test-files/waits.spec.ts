import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
  OperationType,
  WaitingOperationStatus,
} from "@aws/durable-execution-sdk-js-testing";

const reminders = withDurableExecution(async (event: { to: string }, context: DurableContext) => {
  await context.wait("cool-off", { seconds: 10 });
  await context.wait({ minutes: 2 });
  await context.wait("next-day", { days: 1 });
  return context.step("first-reminder", async () => `reminded ${event.to}`);
});

const returnsBeforeWaitEnds = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const sent = await context.step("send", async () => "sent");
  // Not awaited: the execution ends when the handler returns.
  void context.wait("follow-up", { hours: 1 });
  return sent;
});

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("waits", () => {
  it("waits the configured durations, suspending between invocations", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: reminders });
    const result = await runner.run({ payload: { to: "ada" } });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toBe("reminded ada");
    expect(runner.getOperation("cool-off").getWaitDetails()?.waitSeconds).toBe(10);
    expect(runner.getOperationByIndex(1).getWaitDetails()?.waitSeconds).toBe(120);
    expect(runner.getOperation("next-day").getWaitDetails()?.waitSeconds).toBe(86_400);
    const waits = result.getOperations().filter((op) => op.getType() === OperationType.WAIT);
    expect(waits.map((op) => op.getStatus())).toEqual([
      OperationStatus.SUCCEEDED,
      OperationStatus.SUCCEEDED,
      OperationStatus.SUCCEEDED,
    ]);
    expect(result.getInvocations()).toHaveLength(4);
    const wait = runner.getOperation("next-day");
    const scheduled = wait.getWaitDetails()?.scheduledEndTimestamp;
    expect(scheduled).toBeInstanceOf(Date);
    expect(scheduled!.getTime() - wait.getStartTimestamp()!.getTime()).toBeGreaterThanOrEqual(86_400_000 - 1_000);
  });

  it("lets the test wait for a wait to start", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: reminders });
    const running = runner.run({ payload: { to: "grace" } });
    const coolOff = await runner.getOperation("cool-off").waitForData(WaitingOperationStatus.STARTED);
    expect(coolOff.getType()).toBe(OperationType.WAIT);
    expect((await running).getStatus()).toBe(ExecutionStatus.SUCCEEDED);
  });

  it("ends the execution when the handler returns, even with a wait not awaited", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: returnsBeforeWaitEnds });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toBe("sent");
    expect(result.getInvocations()).toHaveLength(1);
    // The AWS runner still ends the abandoned wait, after the last invocation.
    expect(runner.getOperation("follow-up").getStatus()).toBe(OperationStatus.SUCCEEDED);
    expect(result.getHistoryEvents().map((event) => [event.EventType, event.Name])).toEqual([
      ["ExecutionStarted", undefined],
      ["StepStarted", "send"],
      ["StepSucceeded", "send"],
      ["WaitStarted", "follow-up"],
      ["InvocationCompleted", undefined],
      ["WaitSucceeded", "follow-up"],
      ["ExecutionSucceeded", undefined],
    ]);
  });
});
