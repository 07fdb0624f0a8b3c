// The distributed map's failed-item list kept in DynamoDB Local: written page by page by children,
// rewritten idempotently, read back in order, and fed to a redrive that runs only the failures.
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { defineDistributedMap, withDurableExecution, type DistributedMapResult, type DurableContext } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoDbFailedItemWriter } from "./failed-item-writer.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";

let table: TestTable | undefined;
afterEach(async () => {
  await table?.drop();
  table = undefined;
});

const failure = (item: number) => ({ item, status: "FAILED" as const, errorType: "Error", errorMessage: `${item} broke`, partition: 0, page: 0 });

describe("DynamoDbFailedItemWriter", () => {
  it("rewrites a page in place, reads a run back in partition and page order, and keeps runs apart", async () => {
    table = await createTestTable();
    const writer = new DynamoDbFailedItemWriter({ table, pageSize: 2 });
    await writer.write({ runId: "run-a", partition: 1, page: 0, items: [failure(10), failure(11)] });
    await writer.write({ runId: "run-a", partition: 0, page: 3, items: [failure(3)] });
    await writer.write({ runId: "run-a", partition: 0, page: 1, items: Array.from({ length: 30 }, (_, i) => failure(100 + i)) });
    // A crash between the write and the step's checkpoint writes the same page again.
    await writer.write({ runId: "run-a", partition: 1, page: 0, items: [failure(10), failure(11)] });
    await writer.write({ runId: "run-b", partition: 0, page: 0, items: [failure(99)] });

    const items = (await writer.read("run-a")).map((f) => f.item as number);
    expect(items).toEqual([...Array.from({ length: 30 }, (_, i) => 100 + i), 3, 10, 11]);
    expect((await writer.read("run-b")).map((f) => f.item)).toEqual([99]);
    expect(await writer.read("run-none")).toEqual([]);

    // A redrive source: dealt over two readers by original partition, pages of 2, every item once.
    const source = writer.source<number>("run-a");
    const starts = await source.partitions!(2);
    expect(starts).toHaveLength(2);
    const seen: number[] = [];
    for (const start of starts) {
      let cursor: typeof start | undefined = start;
      do {
        const page = await source.readPage(cursor);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(items.sort((a, b) => a - b));
  });

  it("refuses a bad table or page size, and a failed item too big for one DynamoDB item", async () => {
    table = await createTestTable();
    expect(() => new DynamoDbFailedItemWriter({ table: { client: table!.client, tableName: "" } })).toThrow(/pass table: \{ client, tableName \}/);
    expect(() => new DynamoDbFailedItemWriter({ table: table!, pageSize: 0 })).toThrow(/pageSize must be a whole number from 1 to 1000/);
    const writer = new DynamoDbFailedItemWriter({ table });
    await expect(writer.write({ runId: "r", partition: 0, page: 0, items: [failure(1), { ...failure(2), item: "x".repeat(400_000) }] })).rejects.toThrow(
      /failed item 1 of partition 0, page 0 is \d+ bytes as JSON.*set itemId/,
    );
    // Nothing of that page was written.
    const stored = await table.client.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: "F#r" } } }));
    expect(stored.Count).toBe(0);
  });

  it("keeps a distributed map's failures for a redrive that runs only them", async () => {
    table = await createTestTable();
    const failures = new DynamoDbFailedItemWriter({ table });
    const broken = new Set([4, 5, 61, 62, 63, 140, 199]);
    const processed: number[] = [];
    const work = async (n: number, ctx: DurableContext) =>
      ctx.step(
        "work",
        async () => {
          if (broken.has(n)) throw new Error(`${n} is not ready`);
          processed.push(n);
          return n;
        },
        { retryStrategy: () => ({ shouldRetry: false }) },
      );
    const first = defineDistributedMap("ddb-first-run", { source: () => Array.from({ length: 200 }, (_, i) => i), itemHandler: work, pageSize: 10, failedItemWriter: failures });
    const redrive = defineDistributedMap("ddb-redrive", { source: (params: { runId: string }) => failures.source<number>(params.runId), itemHandler: work });
    const firstHandler = withDurableExecution(async (_e: unknown, ctx) =>
      ctx.distributedMap(first, { itemsPerChild: 50, maxFailedItems: 1, completionConfig: { toleratedFailurePercentage: 100 }, functionName: "ddb-r1" }),
    );
    const firstRun = (
      await new LocalDurableTestRunner({ handlerFunction: firstHandler, skipTime: true }).registerDurableFunction("ddb-r1", firstHandler).run({ payload: {} })
    ).getResult() as DistributedMapResult;
    expect(firstRun.counts).toMatchObject({ succeeded: 193, failed: 7 });
    expect((await failures.read(firstRun.runId)).map((f) => f.item)).toEqual([...broken]);

    broken.clear();
    processed.length = 0;
    const redriveHandler = withDurableExecution(async (event: { runId: string }, ctx) =>
      ctx.distributedMap(redrive, { params: { runId: event.runId }, partitions: 3, functionName: "ddb-r2" }),
    );
    const second = (
      await new LocalDurableTestRunner({ handlerFunction: redriveHandler, skipTime: true })
        .registerDurableFunction("ddb-r2", redriveHandler)
        .run({ payload: { runId: firstRun.runId } })
    ).getResult() as DistributedMapResult;
    expect(second.counts).toEqual({ succeeded: 7, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 7 });
    expect(processed.sort((a, b) => a - b)).toEqual([4, 5, 61, 62, 63, 140, 199]);
  }, 60_000);
});
