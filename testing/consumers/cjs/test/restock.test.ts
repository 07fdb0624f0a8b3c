// The handler test a CommonJS project writes: jest + ts-jest (type-checked), the runner from
// @cairn/testing with skipped time, assertions on the result and the operations.
import { OperationStatus, OperationType } from "@cairn/sdk";
import { ExecutionStatus, LocalDurableTestRunner } from "@cairn/testing";
import { handler, type RestockResult } from "../src/restock";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("restock handler", () => {
  it("orders every line, passes the day-long wait at once and notifies both channels", async () => {
    const runner = new LocalDurableTestRunner<RestockResult>({ handlerFunction: handler });
    const started = Date.now();
    const result = await runner.run({ payload: { warehouse: "north", skus: ["A", "B", "C", "D"] } });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({
      warehouse: "north",
      ordered: [
        { sku: "A", quantity: 10 },
        { sku: "B", quantity: 7 },
        { sku: "C", quantity: 4 },
        { sku: "D", quantity: 1 },
      ],
      notified: ["email:north", "slack:north"],
    });
    // A day of skipped time, not of real time (generous bound: the machine may be busy).
    expect(Date.now() - started).toBeLessThan(60_000);

    const wait = runner.getOperation("await-delivery");
    expect(wait.getType()).toBe(OperationType.WAIT);
    expect(wait.getStatus()).toBe(OperationStatus.SUCCEEDED);
    expect(wait.getWaitDetails()?.waitSeconds).toBe(86_400);

    const lines = runner.getOperation("order-lines").getChildOperations() ?? [];
    expect(lines).toHaveLength(4);
    expect(lines.map((line) => line.getChildOperations()?.[0]?.getStepDetails()?.result)).toEqual([
      { sku: "A", quantity: 10 },
      { sku: "B", quantity: 7 },
      { sku: "C", quantity: 4 },
      { sku: "D", quantity: 1 },
    ]);
    expect(runner.getOperation("notify").getChildOperations()?.map((branch) => branch.getStatus())).toEqual([
      OperationStatus.SUCCEEDED,
      OperationStatus.SUCCEEDED,
    ]);
    // The wait suspends the first invocation; the second finishes the run.
    expect(result.getInvocations()).toHaveLength(2);
  });

  it("reports a failing step as the execution's error", async () => {
    const runner = new LocalDurableTestRunner<RestockResult>({ handlerFunction: handler });
    const result = await runner.run({ payload: { warehouse: "south", skus: null } });
    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError().errorMessage).toMatch(/map/i);
  });
});
