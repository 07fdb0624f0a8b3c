// The shard counts a table was set up with, kept in one item of the table. Every process must use
// the same counts: a worker polling 4 due shards never sees an execution another process put in
// shard 6, and a listing over 4 list shards misses it. The first process to use a table records
// its counts; every later one checks its own against them once and is refused on a mismatch.
// Counts may grow (createCairnTable with larger ones): every old shard is still read, and writers
// with the old counts only write shards the new counts cover. They never shrink.
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { TableSettingsMismatchError } from "./errors.js";
import type { Item } from "./item-layout.js";
import { withRetry, type RetryPolicy } from "./retry.js";
import type { CairnTable, ShardCounts } from "./table.js";

/** Where the settings item lives: a partition no execution or name uses. */
const SETTINGS_KEY: Item = { pk: { S: "C#TABLE" }, sk: { S: "SETTINGS" } };

/** One check per table object and process: every store and worker built on it shares it. */
const checked = new WeakMap<CairnTable, Promise<void>>();

/**
 * Resolves once the table's recorded shard counts equal `counts` (recording them when the table
 * has none yet). Rejects with TableSettingsMismatchError when they differ; a failed check is not
 * remembered, so the next call tries again.
 */
export function checkShardCounts(table: CairnTable, counts: ShardCounts, retry: RetryPolicy): Promise<void> {
  let check = checked.get(table);
  if (!check) {
    check = verify(table, counts, retry);
    checked.set(table, check);
    check.catch(() => checked.delete(table));
  }
  return check;
}

async function verify(table: CairnTable, counts: ShardCounts, retry: RetryPolicy): Promise<void> {
  for (;;) {
    const recorded = await readShardCounts(table, retry);
    if (recorded) {
      for (const setting of ["dueShards", "listShards"] as const) {
        if (recorded[setting] !== counts[setting]) {
          throw new TableSettingsMismatchError(table.tableName, setting, counts[setting], recorded[setting]);
        }
      }
      return;
    }
    if (await writeShardCounts(table, counts, undefined, retry)) return;
  }
}

/** The counts recorded in the table, or undefined when none are yet. */
export async function readShardCounts(table: CairnTable, retry: RetryPolicy): Promise<ShardCounts | undefined> {
  const out = await withRetry("GetItem(table settings)", table.tableName, retry, () =>
    table.client.send(new GetItemCommand({ TableName: table.tableName, Key: SETTINGS_KEY, ConsistentRead: true })),
  );
  if (!out.Item) return undefined;
  return { dueShards: Number(out.Item.dueShards?.N ?? "0"), listShards: Number(out.Item.listShards?.N ?? "0") };
}

/**
 * Records `counts`, if the table still holds `previous` (undefined: no settings yet). False when
 * another process changed them first.
 */
export async function writeShardCounts(
  table: CairnTable,
  counts: ShardCounts,
  previous: ShardCounts | undefined,
  retry: RetryPolicy,
): Promise<boolean> {
  try {
    await withRetry("PutItem(table settings)", table.tableName, retry, () =>
      table.client.send(
        new PutItemCommand({
          TableName: table.tableName,
          Item: { ...SETTINGS_KEY, dueShards: { N: String(counts.dueShards) }, listShards: { N: String(counts.listShards) } },
          ...(previous
            ? {
                ConditionExpression: "dueShards = :d AND listShards = :l",
                ExpressionAttributeValues: { ":d": { N: String(previous.dueShards) }, ":l": { N: String(previous.listShards) } },
              }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        }),
      ),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
