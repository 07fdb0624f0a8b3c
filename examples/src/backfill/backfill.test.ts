import type { DistributedMapResult } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "./backfill.js";
import { database } from "./tables.js";

function seed(count: number, malformedEvery = 0): void {
  database.orders.rows.clear();
  database.ordersV2.rows.clear();
  database.ordersV2.puts.length = 0;
  for (let i = 0; i < count; i++) {
    const pk = `order-${String(i).padStart(6, "0")}`;
    database.orders.rows.set(pk, malformedEvery > 0 && i % malformedEvery === 0 ? { pk } : { pk, amountCents: i * 10, currency: "EUR" });
  }
}

const runner = () =>
  new LocalDurableTestRunner<DistributedMapResult>({ handlerFunction: handler, skipTime: true }).registerDurableFunction("orders-backfill-fn", handler);

beforeEach(() => seed(0));

describe("orders backfill (distributedMap over parallel scan segments)", () => {
  it("copies 5 000 orders over 8 segments, reporting the malformed ones", async () => {
    seed(5000, 500);
    const result = await runner().run({ payload: { segments: 8, pageSize: 200, functionName: "orders-backfill-fn" } });
    const summary = result.getResult() as DistributedMapResult;
    expect(summary.counts).toEqual({ succeeded: 4990, failed: 10, timedOut: 0, skipped: 0, pending: 0, total: 5000 });
    expect(summary.completionReason).toBe("ALL_COMPLETED");
    expect(summary.children).toHaveLength(8);
    expect(summary.failedItems.map((f) => f.item).sort()).toEqual(
      Array.from({ length: 10 }, (_, k) => `order-${String(k * 500).padStart(6, "0")}`),
    );
    expect(summary.failedItems[0]).toMatchObject({ errorType: "MalformedRowError", errorMessage: expect.stringMatching(/has no amount/) });
    expect(database.ordersV2.rows.size).toBe(4990);
    expect(database.ordersV2.puts).toHaveLength(4990); // no row written twice without a crash
    expect(database.ordersV2.rows.get("order-000001")).toEqual({ pk: "order-000001", amount: { cents: 10, currency: "EUR" } });
  });

  it("resumes after parent crashes without losing or re-copying finished pages", async () => {
    seed(2000);
    const result = await runner().run({
      payload: { segments: 4, pageSize: 100, functionName: "orders-backfill-fn" },
      faults: { crashAfterCheckpoint: [3, 9], crashBeforeCheckpoint: [6] },
    });
    expect(result.getInjectedCrashCount()).toBe(3);
    const summary = result.getResult() as DistributedMapResult;
    expect(summary.counts.succeeded).toBe(2000);
    expect(database.ordersV2.rows.size).toBe(2000);
    // The parent's crashes never re-run a child's finished items.
    expect(database.ordersV2.puts).toHaveLength(2000);
  });

  it("stops starting segments once more than 5% of the orders failed", async () => {
    seed(1000, 5); // 20% malformed
    const result = await runner().run({ payload: { segments: 10, pageSize: 50, functionName: "orders-backfill-fn" } });
    const summary = result.getResult() as DistributedMapResult;
    expect(summary.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(summary.children.filter((c) => c.status === "NOT_STARTED").length).toBeGreaterThanOrEqual(5);
    expect(summary.failedItemsTruncated).toBe(summary.counts.failed > 100);
  });
});
