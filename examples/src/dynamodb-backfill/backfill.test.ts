// The backfill on a real DynamoDB (DynamoDB Local, started the way @cairn/dynamodb's tests start
// it), run by the local test runner with skipped time: counts, every row copied once as the new
// table and the put counts see it, a redrive after a fix, and crashes of the parent and of the
// children at many checkpoints.
import { BatchWriteItemCommand, CreateTableCommand, ScanCommand, UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { DistributedMapResult, DurableLambdaHandler } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler, type BackfillEvent } from "./backfill.js";
import { convertOrder, type OrderRowV1 } from "./orders.js";
import { dynamoDb, failedOrders, putCounts } from "./tables.js";

// Test helpers of other workspaces, loaded by path: the examples' tsconfig (rootDir src) admits
// no static import from outside src, and these are not part of any package's public surface.
type StartDynamoDbLocal = () => Promise<{ endpoint: string; via: string; stop(): Promise<void> }>;
type CrashingChildren = (
  handler: DurableLambdaHandler,
  plan: (checkpointNumber: number) => "before" | "after" | undefined,
) => { wrapped: DurableLambdaHandler; crashes(): number };
const load = async <T>(path: string): Promise<T> => (await import(fileURLToPath(new URL(path, import.meta.url)))) as T;
const { startDynamoDbLocal } = await load<{ startDynamoDbLocal: StartDynamoDbLocal }>("../../../packages/dynamodb/src/test-support/dynamodb-local.ts");
const { crashingChildren } = await load<{ crashingChildren: CrashingChildren }>("../../../packages/testing/src/test-support/crashing-children.ts");

let local: Awaited<ReturnType<StartDynamoDbLocal>>;
let tables = 0;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  process.env.CAIRN_DYNAMODB_ENDPOINT = local.endpoint;
}, 90_000);
afterAll(async () => {
  dynamoDb().destroy();
  await local?.stop();
});

/** Fresh tables for each test, named for this process: DynamoDB Local may be shared. */
beforeEach(async () => {
  const run = `${process.pid}-${++tables}`;
  process.env.ORDERS_TABLE = `orders-${run}`;
  process.env.ORDERS_V2_TABLE = `orders-v2-${run}`;
  process.env.BACKFILL_FAILURES_TABLE = `orders-failures-${run}`;
  await createTable(process.env.ORDERS_TABLE);
  await createTable(process.env.ORDERS_V2_TABLE);
  await createTable(process.env.BACKFILL_FAILURES_TABLE, "sk");
  putCounts.clear();
});

async function createTable(name: string, sortKey?: string): Promise<void> {
  const keys = sortKey === undefined ? ["pk"] : ["pk", sortKey];
  await dynamoDb().send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: keys.map((AttributeName) => ({ AttributeName, AttributeType: "S" })),
      KeySchema: keys.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? "HASH" : "RANGE" })),
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

const keyOf = (i: number) => `order-${String(i).padStart(6, "0")}`;

/** The old row i: every `malformedEvery`-th one has an amount the conversion refuses. */
function oldRow(i: number, malformedEvery: number): OrderRowV1 {
  const malformed = malformedEvery > 0 && i % malformedEvery === 0;
  return { pk: keyOf(i), amount: malformed ? "12,50" : `${i}.${String(i % 100).padStart(2, "0")}`, currency: "EUR", customer: `c-${i % 97}`, placedAt: 1_700_000_000 + i };
}

async function seed(count: number, malformedEvery = 0): Promise<OrderRowV1[]> {
  const rows = Array.from({ length: count }, (_, i) => oldRow(i, malformedEvery));
  const requests: Record<string, AttributeValue>[][] = [];
  for (let i = 0; i < rows.length; i += 25) {
    requests.push(
      rows.slice(i, i + 25).map((row) => ({
        pk: { S: row.pk },
        amount: { S: row.amount! },
        currency: { S: row.currency! },
        customer: { S: row.customer! },
        placedAt: { N: String(row.placedAt) },
      })),
    );
  }
  // A few requests at once; DynamoDB Local answers each batch whole, and unprocessed items are sent again.
  for (let i = 0; i < requests.length; i += 16) {
    await Promise.all(
      requests.slice(i, i + 16).map(async (items) => {
        let pending = { [process.env.ORDERS_TABLE!]: items.map((Item) => ({ PutRequest: { Item } })) };
        while (Object.keys(pending).length > 0) {
          const { UnprocessedItems } = await dynamoDb().send(new BatchWriteItemCommand({ RequestItems: pending }));
          pending = (UnprocessedItems ?? {}) as typeof pending;
        }
      }),
    );
  }
  return rows;
}

/** Every item of the new table, by key. */
async function newTable(): Promise<Map<string, Record<string, AttributeValue>>> {
  const items = new Map<string, Record<string, AttributeValue>>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoDb().send(new ScanCommand({ TableName: process.env.ORDERS_V2_TABLE!, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.set(item.pk!.S!, item);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Checks the new table holds exactly `rows`, each converted as `convertOrder` says. */
async function expectCopied(rows: OrderRowV1[]): Promise<void> {
  const copied = await newTable();
  expect(copied.size).toBe(rows.length);
  for (const row of rows) {
    const expected = convertOrder(row);
    const item = copied.get(row.pk);
    expect(item, row.pk).toBeDefined();
    expect({ cents: Number(item!.amountCents!.N), customerId: item!.customerId!.S, placedAt: item!.placedAt!.S }).toEqual({
      cents: expected.amountCents,
      customerId: expected.customerId,
      placedAt: expected.placedAt,
    });
  }
}

const FUNCTION = "orders-dynamodb-backfill-fn";
const runner = (children: DurableLambdaHandler = handler) =>
  new LocalDurableTestRunner<DistributedMapResult>({ handlerFunction: handler, skipTime: true }).registerDurableFunction(FUNCTION, children);

describe("orders backfill over a DynamoDB parallel scan", () => {
  it("copies 2 000 rows over 6 segments, records the malformed ones by key, and redrives them after a fix", async () => {
    const rows = await seed(2000, 250);
    const malformed = rows.filter((_, i) => i % 250 === 0).map((row) => row.pk);
    const first = await runner().run({ payload: { segments: 6, pageSize: 100, functionName: FUNCTION } satisfies BackfillEvent });
    expect(first.getStatus()).toBe("SUCCEEDED");
    const summary = first.getResult()!;
    expect(summary.counts).toEqual({ succeeded: 1992, failed: 8, timedOut: 0, skipped: 0, pending: 0, total: 2000 });
    expect(summary.completionReason).toBe("ALL_COMPLETED");
    expect(summary.children.map((c) => c.status)).toEqual(Array(6).fill("SUCCEEDED"));
    // Segments split the rows: every child had some, none had them all.
    expect(summary.children.every((c) => c.counts!.total > 0 && c.counts!.total < 2000)).toBe(true);
    expect(summary.failedItems.map((f) => f.item).sort()).toEqual(malformed);
    expect(summary.failedItems[0]).toMatchObject({ errorType: "MalformedOrderError", errorMessage: expect.stringMatching(/amount "12,50" is not a decimal/) });
    expect((await failedOrders().read(summary.runId)).map((f) => f.item).sort()).toEqual(malformed);
    await expectCopied(rows.filter((row) => !malformed.includes(row.pk)));
    expect(putCounts.size).toBe(1992);
    expect([...putCounts.values()].every((n) => n === 1)).toBe(true); // without crashes, one put per row

    // Fix all but one of the malformed rows in the old table, then redrive the run's failures.
    const stillBroken = malformed[5]!;
    for (const pk of malformed.filter((key) => key !== stillBroken)) {
      await dynamoDb().send(
        new UpdateItemCommand({ TableName: process.env.ORDERS_TABLE!, Key: { pk: { S: pk } }, UpdateExpression: "SET amount = :a", ExpressionAttributeValues: { ":a": { S: "12.50" } } }),
      );
    }
    const redrive = await runner().run({ payload: { mode: "redrive", runId: summary.runId, partitions: 3, functionName: FUNCTION } satisfies BackfillEvent });
    const redriven = redrive.getResult()!;
    expect(redriven.counts).toMatchObject({ succeeded: 7, failed: 1, total: 8 });
    expect(redriven.failedItems).toEqual([expect.objectContaining({ item: stillBroken, errorType: "MalformedOrderError" })]);
    // The redrive's failures are its own run's, ready for the next redrive.
    expect((await failedOrders().read(redriven.runId)).map((f) => f.item)).toEqual([stillBroken]);
    const fixed = rows.map((row) => (malformed.includes(row.pk) ? { ...row, amount: "12.50" } : row)).filter((row) => row.pk !== stillBroken);
    await expectCopied(fixed);
    // The redrive touched only the failed rows: the others were put once, each fixed row once.
    expect(putCounts.size).toBe(1999);
    expect([...putCounts.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it("resumes after crashes of the parent and of the segments' children, losing no row and re-copying only rows in flight", async () => {
    const rows = await seed(1000);
    // Every 13th checkpoint of a child invocation crashes it, alternately before and after the store.
    const children = crashingChildren(handler, (n) => (n % 13 === 0 ? (n % 2 === 0 ? "before" : "after") : undefined));
    const result = await runner(children.wrapped).run({
      payload: { segments: 5, pageSize: 50, functionName: FUNCTION } satisfies BackfillEvent,
      faults: { crashAfterCheckpoint: [3, 8, 14, 20], crashBeforeCheckpoint: [6, 11, 17] },
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    // How many parent checkpoints there are depends on how updates batch: the first few always fire.
    expect(result.getInjectedCrashCount()).toBeGreaterThanOrEqual(4);
    expect(children.crashes()).toBeGreaterThan(10);
    const summary = result.getResult()!;
    expect(summary.counts).toEqual({ succeeded: 1000, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 1000 });
    expect(summary.children.map((c) => c.status)).toEqual(Array(5).fill("SUCCEEDED"));
    await expectCopied(rows);
    // At least once: every row was put; a put ran again only for a copy in flight when its child
    // crashed (at most maxConcurrency per crash); the parent's crashes re-copy nothing.
    expect(putCounts.size).toBe(1000);
    const extraPuts = [...putCounts.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(extraPuts).toBeLessThanOrEqual(children.crashes() * 20);
    expect(Math.max(...putCounts.values())).toBeLessThanOrEqual(1 + children.crashes());
  }, 60_000);
});
