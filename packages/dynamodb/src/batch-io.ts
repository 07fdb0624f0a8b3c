// Bulk item writes and deletes, paced by DynamoDB's 25-item BatchWriteItem limit, with unprocessed
// items retried. Only used for items nothing references yet (staged parts) or no longer does.
import { BatchWriteItemCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { setTimeout as sleep } from "node:timers/promises";
import type { Item } from "./item-layout.js";
import { withRetry, type RetryPolicy } from "./retry.js";
import { A, type CairnTable } from "./table.js";

const BATCH = 25;

async function writeRequests(table: CairnTable, policy: RetryPolicy, requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH) {
    let pending = requests.slice(i, i + BATCH);
    for (let round = 0; pending.length > 0; round++) {
      const out = await withRetry("BatchWriteItem", table.tableName, policy, () =>
        table.client.send(new BatchWriteItemCommand({ RequestItems: { [table.tableName]: pending } })),
      );
      pending = out.UnprocessedItems?.[table.tableName] ?? [];
      if (pending.length > 0) {
        if (round >= policy.maxAttempts) throw new Error(`BatchWriteItem on "${table.tableName}" left items unprocessed after ${round} rounds`);
        await sleep(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** round));
      }
    }
  }
}

export function putItems(table: CairnTable, policy: RetryPolicy, items: Item[]): Promise<void> {
  return writeRequests(table, policy, items.map((Item) => ({ PutRequest: { Item } })));
}

export function deleteItems(table: CairnTable, policy: RetryPolicy, items: Item[]): Promise<void> {
  return writeRequests(
    table,
    policy,
    items.map((item) => ({ DeleteRequest: { Key: { [A.pk]: item[A.pk]!, [A.sk]: item[A.sk]! } } })),
  );
}
