import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
  OperationType,
  WaitingOperationStatus,
} from "@aws/durable-execution-sdk-js-testing";
import { firstTwo, flat, replayedBatch, resizeAll, resizeAllAsText, storedBatches, tolerant } from "./batches";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("map and parallel", () => {
  it("returns a map's BatchResult to the caller in its JSON shape", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: resizeAll });
    const result = await runner.run({ payload: { sizes: [1, 2, 3] } });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({
      all: [
        { result: 2, index: 0, status: "SUCCEEDED" },
        { result: 4, index: 1, status: "SUCCEEDED" },
        { result: 6, index: 2, status: "SUCCEEDED" },
      ],
      completionReason: "ALL_COMPLETED",
    });
    const map = runner.getOperation("resize");
    expect(map.getType()).toBe(OperationType.CONTEXT);
    expect(map.getSubType()).toBe("Map");
    expect(map.getChildOperations()?.map((op) => [op.getSubType(), op.getName()])).toEqual([
      ["MapIteration", "map-item-0"],
      ["MapIteration", "map-item-1"],
      ["MapIteration", "map-item-2"],
    ]);
    expect(runner.getOperation("resize-2").getStepDetails()?.result).toBe(4);
  });

  it("JSON.stringify of a BatchResult has the items and the completion reason", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: resizeAllAsText });
    const result = await runner.run({ payload: { sizes: [1, -2, 3] } });

    expect(runner.getOperation("map-item-1").getStatus()).toBe(OperationStatus.FAILED);
    expect(JSON.parse(result.getResult() as string)).toEqual({
      all: [
        { result: { width: 2 }, index: 0, status: "SUCCEEDED" },
        {
          error: {
            name: "ChildContextError",
            errorType: "ChildContextError",
            cause: { name: "StepError", errorType: "StepError", cause: { name: "RangeError" } },
          },
          index: 1,
          status: "FAILED",
        },
        { result: { width: 6 }, index: 2, status: "SUCCEEDED" },
      ],
      completionReason: "ALL_COMPLETED",
    });
  });

  it("tolerates a failure and reports every BatchResult member", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: tolerant });
    const result = await runner.run({ payload: { sizes: [1, -2, 3] } });

    expect(result.getResult()).toEqual({
      results: [2, 6],
      errors: ["cannot resize to -2"],
      successCount: 2,
      failureCount: 1,
      totalCount: 3,
      status: "FAILED",
      completionReason: "ALL_COMPLETED",
      hasFailure: true,
    });
    expect(runner.getOperation("size--2").getStatus()).toBe(OperationStatus.FAILED);
    expect(runner.getOperation("size-3").getContextDetails()?.result).toBe(6);
  });

  it("completes a parallel once enough branches succeed", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: firstTwo });
    const result = await runner.run();

    expect(result.getResult()).toEqual({ results: [10, 20], completionReason: "MIN_SUCCESSFUL_REACHED", successCount: 2 });
    const quotes = runner.getOperation("quotes");
    expect(quotes.getSubType()).toBe("Parallel");
    expect(quotes.getStatus()).toBe(OperationStatus.SUCCEEDED);
    expect(quotes.getChildOperations()?.map((op) => op.getName())).toEqual(["fast", "medium", "parallel-branch-2"]);
    expect(runner.getOperation("fast").getSubType()).toBe("ParallelBranch");
  });

  it("runs items and branches without contexts of their own with NestingType.FLAT", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: flat });
    const result = await runner.run({ payload: { sizes: [1, 2, 3] } });

    expect(result.getResult()).toEqual({ sizes: [2, 3, 4], pair: ["L", "R"] });
    expect(result.getOperations().map((op) => [op.getType(), op.getName()])).toEqual([
      [OperationType.CONTEXT, "resize"],
      [OperationType.STEP, "resize-1"],
      [OperationType.STEP, "resize-2"],
      [OperationType.STEP, "resize-3"],
      [OperationType.CONTEXT, "pair"],
      [OperationType.STEP, "left"],
      [OperationType.STEP, "right"],
    ]);
    expect(runner.getOperation("resize-2").getParentId()).toBe(runner.getOperation("resize").getId());
    expect(result.getHistoryEvents().filter((event) => event.EventType === "ContextStarted")).toHaveLength(2);
  });

  it("rebuilds a BatchResult on replay from a custom serdes that returns its JSON shape", async () => {
    storedBatches.length = 0;
    const runner = new LocalDurableTestRunner({ handlerFunction: replayedBatch });
    const running = runner.run({ payload: { sizes: [2, 3] } });
    const goAhead = await runner.getOperation("go-ahead").waitForData(WaitingOperationStatus.STARTED);
    await goAhead.sendCallbackSuccess();
    const result = await running;

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getInvocations()).toHaveLength(2);
    expect(result.getResult()).toEqual({ results: [4, 9], succeeded: [0, 1], successCount: 2, status: "SUCCEEDED" });
    expect(storedBatches.map((text) => JSON.parse(text))).toEqual([
      {
        all: [
          { result: 4, index: 0, status: "SUCCEEDED" },
          { result: 9, index: 1, status: "SUCCEEDED" },
        ],
        completionReason: "ALL_COMPLETED",
      },
    ]);
  });
});
