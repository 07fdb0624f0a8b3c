// End to end: distributed maps whose sources are this package's adapters over real local services
// (s3rver, DynamoDB Local), run by the local test runner with skipped time, with crashes injected
// in the parent and in the children. A side-effect ledger checks every item ran exactly once.
import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { defineDistributedMap, StepSemantics, withDurableExecution, type DistributedMapResult, type DurableContext } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoDbScanSource } from "./dynamodb/dynamodb-scan-source.js";
import { s3JsonLinesSource } from "./s3/s3-json-lines-source.js";
// The same child-crash injection the distributed-map tests of @cairn/testing use.
import { crashingChildren } from "../../testing/src/test-support/crashing-children.js";
import { createTable, dynamoDbClient } from "./test-support/dynamodb-client.js";
import { startLocalS3, type LocalS3 } from "./test-support/local-s3.js";

let s3: LocalS3;
let dynamodb: DynamoDBClient;

/** Per item: how often its at-most-once body ran, and whether its idempotent effect is recorded. */
class Ledger {
  readonly charged = new Map<string, number>();
  readonly recorded = new Set<string>();
  async process(id: string, ctx: DurableContext): Promise<void> {
    await ctx.step("charge", async () => this.charged.set(id, (this.charged.get(id) ?? 0) + 1), {
      semantics: StepSemantics.AtMostOncePerRetry,
      retryStrategy: () => ({ shouldRetry: false }),
    });
    await ctx.step("record", async () => this.recorded.add(id));
  }
}

const s3Ledger = new Ledger();
const s3Import = defineDistributedMap("sources-e2e-s3", {
  source: (params: { bucket: string; prefix: string }) => s3JsonLinesSource<{ id: string }>({ client: s3.client, bucket: params.bucket, prefix: params.prefix, pageSize: 25, readWindowBytes: 700 }),
  itemHandler: (record, ctx) => s3Ledger.process(record.id, ctx),
  itemId: (record) => record.id,
  maxConcurrency: 5,
});

const scanLedger = new Ledger();
const scanBackfill = defineDistributedMap("sources-e2e-scan", {
  source: (params: { table: string }) => dynamoDbScanSource<{ pk: string }>({ client: dynamodb, input: { TableName: params.table, Limit: 30 } }),
  itemHandler: (row, ctx) => scanLedger.process(row.pk, ctx),
  itemId: (row) => row.pk,
  maxConcurrency: 5,
});

const handler = withDurableExecution(async (event: { map: "s3"; bucket: string; prefix: string } | { map: "scan"; table: string; segments: number }, ctx) =>
  event.map === "s3"
    ? ctx.distributedMap(s3Import, {
        params: { bucket: event.bucket, prefix: event.prefix },
        partitions: 4,
        maxChildExecutions: 2,
        completionConfig: { toleratedFailurePercentage: 100 },
        maxFailedItems: 1000,
        functionName: "sources-e2e-fn",
      })
    : ctx.distributedMap(scanBackfill, {
        params: { table: event.table },
        partitions: event.segments,
        maxChildExecutions: 3,
        completionConfig: { toleratedFailurePercentage: 100 },
        maxFailedItems: 1000,
        functionName: "sources-e2e-fn",
      }),
);

function checkLedger(ledger: Ledger, ids: string[], summary: DistributedMapResult, crashes: number): void {
  const failed = new Set(summary.failedItems.map((f) => f.item as string));
  expect(summary.counts.total).toBe(ids.length);
  expect(summary.counts.succeeded + summary.counts.failed).toBe(ids.length);
  expect(failed.size).toBe(summary.counts.failed);
  // Only an at-most-once body cut off by a crash may fail: at most the items in flight per crash.
  expect(summary.failedItems.every((f) => /interrupted during its previous attempt/.test(f.errorMessage))).toBe(true);
  expect(summary.counts.failed).toBeLessThanOrEqual(crashes * 5);
  for (const id of ids) {
    expect(ledger.charged.get(id) ?? 0, id).toBeLessThanOrEqual(1);
    if (!failed.has(id)) {
      expect(ledger.charged.get(id), id).toBe(1);
      expect(ledger.recorded.has(id), id).toBe(true);
    }
  }
  expect([...ledger.charged.keys()].every((id) => ids.includes(id))).toBe(true);
}

beforeAll(async () => {
  s3 = await startLocalS3();
  dynamodb = dynamoDbClient();
});
afterAll(async () => {
  dynamodb?.destroy();
  await s3?.stop();
});

describe("distributed maps over the sources, with crashes", () => {
  it("an S3 JSON-lines prefix: every record processed exactly once across object partitions", async () => {
    const bucket = await s3.bucket();
    const ids: string[] = [];
    for (let object = 0; object < 6; object++) {
      const records = Array.from({ length: 60 + object * 10 }, (_, i) => ({ id: `o${object}-r${i}`, padding: "x".repeat(i % 40) }));
      ids.push(...records.map((record) => record.id));
      await s3.put(bucket, `export/part-${object}.jsonl`, records.map((record) => JSON.stringify(record)).join("\n") + "\n");
    }
    await s3.put(bucket, "elsewhere/part-0.jsonl", '{"id":"not-mine"}\n');
    const children = crashingChildren(handler, (n) => (n % 37 === 0 ? (n % 2 === 0 ? "before" : "after") : undefined));
    const runner = new LocalDurableTestRunner<DistributedMapResult>({ handlerFunction: handler, skipTime: true }).registerDurableFunction("sources-e2e-fn", children.wrapped);
    const result = await runner.run({ payload: { map: "s3", bucket, prefix: "export/" }, faults: { crashAfterCheckpoint: [4, 11], crashBeforeCheckpoint: [8] } });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(children.crashes()).toBeGreaterThan(3);
    const summary = result.getResult()!;
    expect(summary.children).toHaveLength(4);
    expect(summary.children.every((child) => child.status === "SUCCEEDED")).toBe(true);
    checkLedger(s3Ledger, ids, summary, children.crashes());
  });

  it("a DynamoDB scan in parallel segments: every item processed exactly once", async () => {
    const table = await createTable(dynamodb, "S");
    const ids = Array.from({ length: 400 }, (_, i) => `row-${String(i).padStart(4, "0")}`);
    for (let i = 0; i < ids.length; i += 25) {
      const Items: Record<string, AttributeValue>[] = ids.slice(i, i + 25).map((pk) => ({ pk: { S: pk } }));
      await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: Items.map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const children = crashingChildren(handler, (n) => (n % 29 === 0 ? (n % 2 === 0 ? "before" : "after") : undefined));
    const runner = new LocalDurableTestRunner<DistributedMapResult>({ handlerFunction: handler, skipTime: true }).registerDurableFunction("sources-e2e-fn", children.wrapped);
    const result = await runner.run({ payload: { map: "scan", table, segments: 6 }, faults: { crashAfterCheckpoint: [5], crashBeforeCheckpoint: [13] } });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(children.crashes()).toBeGreaterThan(3);
    const summary = result.getResult()!;
    expect(summary.children).toHaveLength(6);
    checkLedger(scanLedger, ids, summary, children.crashes());
  });
});
