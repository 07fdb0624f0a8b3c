import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ValidationError } from "@cairn/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTable, dynamoDbClient } from "../test-support/dynamodb-client.js";
import { itemsOf, readAll } from "../test-support/read-all.js";
import { dynamoDbQuerySource } from "./dynamodb-query-source.js";
import { dynamoDbScanSource } from "./dynamodb-scan-source.js";

let client: DynamoDBClient;
let orders: string; // pk: customer (S), sk: order number (N)
let blobs: string; // pk: binary

async function write(table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

beforeAll(async () => {
  client = dynamoDbClient();
  orders = await createTable(client, "S", "N");
  blobs = await createTable(client, "B");
  const rows: Record<string, AttributeValue>[] = [];
  for (let c = 0; c < 6; c++) for (let n = 0; n < 50; n++) rows.push({ pk: { S: `customer-${c}` }, sk: { N: String(n) }, total: { N: String(n * 10) }, tags: { SS: ["a", "b"] } });
  await write(orders, rows);
  await write(blobs, Array.from({ length: 40 }, (_, i) => ({ pk: { B: new Uint8Array([i, 255 - i, 0]) }, i: { N: String(i) } })));
});
afterAll(() => client?.destroy());

describe("dynamoDbQuerySource", () => {
  const input = () => ({ TableName: orders, KeyConditionExpression: "pk = :c", ExpressionAttributeValues: { ":c": { S: "customer-3" } }, Limit: 7 });

  it("reads every page once, in key order, unmarshalled, resuming from JSON cursors", async () => {
    const pages = await readAll(dynamoDbQuerySource<{ pk: string; sk: number; total: number; tags: Set<string> }>({ client, input: input() }));
    const items = itemsOf(pages);
    expect(items.map((item) => item.sk)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(items[4]).toEqual({ pk: "customer-3", sk: 4, total: 40, tags: new Set(["a", "b"]) });
    expect(pages.slice(0, -1).every((page) => page.items.length === 7)).toBe(true);
    expect(pages[1]!.cursor).toEqual({ exclusiveStartKey: { pk: { S: "customer-3" }, sk: { N: "6" } } });
  });

  it("keeps AttributeValues with raw: true", async () => {
    const first = await dynamoDbQuerySource({ client, input: input(), raw: true }).readPage(undefined);
    expect(first.items[0]).toMatchObject({ pk: { S: "customer-3" }, sk: { N: "0" } });
  });

  it("rejects bad input, naming the field", () => {
    expect(() => dynamoDbQuerySource({ client, input: { TableName: "" } })).toThrow(/input\.TableName must be a non-empty string/);
    expect(() => dynamoDbQuerySource({ client, input: { TableName: orders, ExclusiveStartKey: {} } as never })).toThrow(/leave input\.ExclusiveStartKey out; the cursor/);
    expect(() => dynamoDbQuerySource({ client: undefined as never, input: input() })).toThrow(ValidationError);
  });
});

describe("dynamoDbScanSource", () => {
  it("scans the whole table once without partitions", async () => {
    const items = itemsOf(await readAll(dynamoDbScanSource<{ pk: string; sk: number }>({ client, input: { TableName: orders, Limit: 40 } })));
    expect(items).toHaveLength(300);
    expect(new Set(items.map((item) => `${item.pk}/${item.sk}`)).size).toBe(300);
  });

  it.each([1, 3, 8])("partitions(%i) are parallel scan segments that together read every item exactly once", async (count) => {
    const source = dynamoDbScanSource<{ pk: string; sk: number }>({ client, input: { TableName: orders, Limit: 16 } });
    const starts = await source.partitions!(count);
    expect(starts).toEqual(Array.from({ length: count }, (_, segment) => ({ segment, totalSegments: count })));
    const seen: string[] = [];
    for (const start of starts) seen.push(...itemsOf(await readAll(source, start)).map((item) => `${item.pk}/${item.sk}`));
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
  });

  it("uses the segments option over the requested count", async () => {
    const starts = await dynamoDbScanSource({ client, input: { TableName: orders }, segments: 5 }).partitions!(50);
    expect(starts).toHaveLength(5);
  });

  it("carries binary keys in JSON cursors as base64", async () => {
    const source = dynamoDbScanSource<{ pk: Uint8Array; i: number }>({ client, input: { TableName: blobs, Limit: 6 } });
    const pages = await readAll(source);
    expect(pages[1]!.cursor).toMatchObject({ exclusiveStartKey: { pk: { B64: expect.any(String) } } });
    const items = itemsOf(pages);
    expect(items.map((item) => item.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(items.find((item) => item.i === 7)!.pk).toEqual(new Uint8Array([7, 248, 0]));
  });

  it("applies the input's filter; a page may come back empty and still go on", async () => {
    const source = dynamoDbScanSource<{ sk: number }>({
      client,
      input: { TableName: orders, Limit: 10, FilterExpression: "sk = :n", ExpressionAttributeValues: { ":n": { N: "49" } } },
    });
    const pages = await readAll(source);
    expect(itemsOf(pages).map((item) => item.sk)).toEqual([49, 49, 49, 49, 49, 49]);
    expect(pages.some((page) => page.items.length === 0)).toBe(true);
  });

  it("rejects bad input, naming the field", () => {
    expect(() => dynamoDbScanSource({ client, input: { TableName: orders, Segment: 1, TotalSegments: 2 } as never })).toThrow(/leave input\.Segment out; use the segments option/);
    expect(() => dynamoDbScanSource({ client, input: { TableName: orders }, segments: 0 })).toThrow(/segments must be a whole number from 1 to 1000000/);
    return expect(dynamoDbScanSource({ client, input: { TableName: orders } }).readPage({ exclusiveStartKey: { pk: { X: 1 } } } as never)).rejects.toThrow(
      /exclusiveStartKey\.pk must be \{ S \}, \{ N \} or \{ B64 \}/,
    );
  });
});
