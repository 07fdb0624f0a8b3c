// The handler test an ESM project writes: vitest, the runner from @cairn/testing with skipped
// time, the matchers from @cairn/testing/vitest (a setup file), assertions on the operations.
import { OperationStatus, OperationType } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler, type RestockResult } from "../src/restock.js";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("restock handler", () => {
  it("orders every line, passes the day-long wait at once and notifies both channels", async () => {
    const runner = new LocalDurableTestRunner<RestockResult>({ handlerFunction: handler });
    const started = Date.now();
    const result = await runner.run({ payload: { warehouse: "east", skus: ["A", "B"] } });

    expect(result).toHaveSucceeded();
    expect(result).toHaveResult({
      warehouse: "east",
      ordered: [
        { sku: "A", quantity: 10 },
        { sku: "B", quantity: 7 },
      ],
      notified: ["email:east", "slack:east"],
    });
    expect(result).toHaveInvocationCount(2);
    // A day of skipped time, not of real time (generous bound: the machine may be busy).
    expect(Date.now() - started).toBeLessThan(60_000);

    const wait = runner.getOperation("await-delivery");
    expect(wait.getType()).toBe(OperationType.WAIT);
    expect(wait.getWaitDetails()?.waitSeconds).toBe(86_400);
    const lines = runner.getOperation("order-lines").getChildOperations() ?? [];
    expect(lines.map((line) => line.getChildOperations()?.[0]?.getStepDetails()?.result)).toEqual([
      { sku: "A", quantity: 10 },
      { sku: "B", quantity: 7 },
    ]);
    expect(runner.getOperation("notify").getChildOperations()?.map((branch) => branch.getStatus())).toEqual([
      OperationStatus.SUCCEEDED,
      OperationStatus.SUCCEEDED,
    ]);
  });
});
