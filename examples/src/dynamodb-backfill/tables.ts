// How the backfill reaches DynamoDB: one client for the function, the new table's idempotent put,
// a read of one old row by key (for the redrive) and the failed-item writer.
import { DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { DynamoDbFailedItemWriter } from "@cairn/dynamodb";
import type { DistributedMapFailedItemBatch, DistributedMapFailedItemWriter } from "@cairn/sdk";
import type { OrderRowV1, OrderRowV2 } from "./orders.js";

let client: DynamoDBClient | undefined;

/**
 * The function's DynamoDB client, made on first use (not at import) so that the endpoint can be
 * chosen after the module loads: `CAIRN_DYNAMODB_ENDPOINT` (e.g. DynamoDB Local) when set, else
 * the AWS SDK's usual configuration.
 */
export function dynamoDb(): DynamoDBClient {
  const endpoint = process.env.CAIRN_DYNAMODB_ENDPOINT;
  client ??= new DynamoDBClient(
    endpoint ? { endpoint, region: process.env.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {},
  );
  return client;
}

/** The tables the backfill reads and writes, by name. */
export interface BackfillTables {
  /** The old table (string key `pk`): `ORDERS_TABLE`, default "orders". */
  orders: string;
  /** The new table (string key `pk`): `ORDERS_V2_TABLE`, default "orders-v2". */
  ordersV2: string;
  /** Failed rows (string keys `pk` and `sk`; the Cairn execution table will do): `BACKFILL_FAILURES_TABLE`, default "orders-backfill-failures". */
  failures: string;
}

/**
 * The table names, from the environment: an item handler sees only its item, never the run's
 * params, so where it writes is the function's configuration, as its client is.
 */
export function backfillTables(): BackfillTables {
  return {
    orders: process.env.ORDERS_TABLE ?? "orders",
    ordersV2: process.env.ORDERS_V2_TABLE ?? "orders-v2",
    failures: process.env.BACKFILL_FAILURES_TABLE ?? "orders-backfill-failures",
  };
}

/** The failed-item writer, over the failures table (a small object: made on each use, after the configuration). */
export function failedOrders(): DynamoDbFailedItemWriter {
  return new DynamoDbFailedItemWriter({ table: { client: dynamoDb(), tableName: backfillTables().failures } });
}

/** What a definition holds at module scope: writes through {@link failedOrders} once a child needs it. */
export const failedOrdersWriter: DistributedMapFailedItemWriter = {
  write: (batch: DistributedMapFailedItemBatch) => failedOrders().write(batch),
};

/** PutItem calls per order key, as the side effect a test counts (a row copied twice shows 2). */
export const putCounts = new Map<string, number>();

/**
 * Writes one converted order. A put by key is idempotent: a step that runs again after a crash
 * writes the same item, so the table never holds a row twice.
 */
export async function putOrderV2(row: OrderRowV2): Promise<void> {
  putCounts.set(row.pk, (putCounts.get(row.pk) ?? 0) + 1);
  await dynamoDb().send(
    new PutItemCommand({
      TableName: backfillTables().ordersV2,
      Item: {
        pk: { S: row.pk },
        amountCents: { N: String(row.amountCents) },
        currency: { S: row.currency },
        customerId: { S: row.customerId },
        placedAt: { S: row.placedAt },
        schemaVersion: { N: String(row.schemaVersion) },
      },
    }),
  );
}

/** Reads one old row by key (consistent read: the redrive must see the fix), or undefined if it is gone. */
export async function getOrderV1(pk: string): Promise<OrderRowV1 | undefined> {
  const { Item } = await dynamoDb().send(new GetItemCommand({ TableName: backfillTables().orders, Key: { pk: { S: pk } }, ConsistentRead: true }));
  return Item === undefined ? undefined : orderV1Of(Item);
}

/** An old row from its AttributeValue map (only the fields the old schema has). */
export function orderV1Of(item: Record<string, AttributeValue>): OrderRowV1 {
  const row: OrderRowV1 = { pk: item.pk?.S ?? "" };
  if (item.amount?.S !== undefined) row.amount = item.amount.S;
  if (item.currency?.S !== undefined) row.currency = item.currency.S;
  if (item.customer?.S !== undefined) row.customer = item.customer.S;
  if (item.placedAt?.N !== undefined) row.placedAt = Number(item.placedAt.N);
  return row;
}
