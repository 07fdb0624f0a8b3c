import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
} from "@aws/durable-execution-sdk-js-testing";
import { awkwardKeys, customSerdes, longStepBesideWaits, longStepTicks } from "./more";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("a long step beside a waiting branch", () => {
  it("finishes the waits while the step runs, in one invocation", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: longStepBesideWaits });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({ results: ["slow done", "ticked"], ticks: [1, 2, 3, 4, 5] });
    expect(longStepTicks).toEqual([1, 2, 3, 4, 5]);
    expect(result.getInvocations()).toHaveLength(1);
    const events = result.getHistoryEvents().map((event) => `${event.EventType} ${event.Name ?? ""}`.trim());
    // Every wait ended before the step did.
    expect(events.indexOf("WaitSucceeded tick-5")).toBeLessThan(events.indexOf("StepSucceeded slow-call"));
    expect(events.filter((event) => event.startsWith("InvocationCompleted"))).toHaveLength(1);
  }, 20_000);
});

describe("serialization", () => {
  it("stores plain JSON with keys named constructor and prototype as it is", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: awkwardKeys });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    const stored = { constructor: "not a function", prototype: { shape: "plain" }, nested: { constructor: { prototype: 1 } } };
    expect(result.getResult()).toEqual({ stored, again: "plain", polluted: "no" });
    expect(runner.getOperation("store").getStepDetails()?.result).toEqual(stored);
    expect(runner.getOperation("read-back").getStatus()).toBe(OperationStatus.SUCCEEDED);
  });

  it("stores a step's result through its custom serdes and reads it back through it", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: customSerdes });
    const result = await runner.run();

    expect(result.getResult()).toBe("hello!");
    expect(runner.getOperation("word").getOperationData()?.StepDetails?.Result).toBe("HELLO");
    const succeeded = result.getHistoryEvents().find((event) => event.EventType === "StepSucceeded");
    expect(succeeded).toMatchObject({
      EventType: "StepSucceeded",
      SubType: "Step",
      Name: "word",
      EventId: expect.any(Number),
      EventTimestamp: expect.anything(),
      StepSucceededDetails: { Result: { Payload: "HELLO" } },
    });
  });
});
