// The requests the store and the workers send to the table, every one through the retry policy,
// with DynamoDB's paging and transaction limits handled in one place.
import {
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type QueryCommandInput,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";
import { deleteItems, putItems } from "./batch-io.js";
import { itemBytes, type Item } from "./item-layout.js";
import { withRetry, type RetryPolicy } from "./retry.js";
import type { CairnTable } from "./table.js";

/** What DynamoDB allows in one TransactWriteItems call, with room to spare for the head. */
const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;

/** Whether `items` plus `others` small items (the head, a name claim) fit one transaction. */
export function fitsOneTransaction(items: Item[], others: number): boolean {
  if (items.length + others > MAX_TRANSACTION_ITEMS) return false;
  let bytes = 0;
  for (const item of items) bytes += itemBytes(item);
  return bytes <= MAX_TRANSACTION_BYTES;
}

export class TableRequests {
  constructor(
    readonly table: CairnTable,
    readonly retry: RetryPolicy,
  ) {}

  get tableName(): string {
    return this.table.tableName;
  }

  /** Runs one request under the retry policy; `operation` names it in errors. */
  send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return withRetry(operation, this.table.tableName, this.retry, call);
  }

  /** Every item a query matches, following its pages. */
  async query(input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.send("Query", () =>
        this.table.client.send(new QueryCommand({ ...input, TableName: this.table.tableName, ExclusiveStartKey: start })),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** A strongly consistent read of one item, of only `attributes` when given. */
  async getItem(key: Item, attributes?: string[]): Promise<Item | undefined> {
    const out = await this.send("GetItem", () =>
      this.table.client.send(
        new GetItemCommand({
          TableName: this.table.tableName,
          Key: key,
          ConsistentRead: true,
          ...(attributes
            ? {
                ProjectionExpression: attributes.map((_, i) => `#p${i}`).join(", "),
                ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name])),
              }
            : {}),
        }),
      ),
    );
    return out.Item;
  }

  async transact(operation: string, items: TransactWriteItem[]): Promise<void> {
    // The same token on every retry makes a retried transaction idempotent: if the first attempt
    // did commit and only the answer was lost, the retry succeeds without applying it twice.
    const token = randomUUID();
    await this.send(operation, () =>
      this.table.client.send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token })),
    );
  }

  /** Unconditional puts in batches, for items nothing references yet. */
  putItems(items: Item[]): Promise<void> {
    return putItems(this.table, this.retry, items);
  }

  /** Unconditional deletes in batches, for items nothing references any more. */
  deleteItems(items: Item[]): Promise<void> {
    return deleteItems(this.table, this.retry, items);
  }
}
