// The single table every Cairn DynamoDB component shares, and how to create it. The layout is
// documented in docs/dynamodb.md; keep the two in step.
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { shownValue } from "@cairn/sdk/backend";
import { DEFAULT_RETRY_POLICY } from "./retry.js";
import { readShardCounts, writeShardCounts } from "./table-settings.js";

/**
 * Where Cairn's data lives: a client and a table name, plus the shard counts of the two indexes.
 * The client, the workers and the store all take one; they never close the client.
 */
export interface CairnTable {
  /** The AWS SDK v3 client to send requests with (its region, credentials and endpoint apply). */
  client: DynamoDBClient;
  /** The table's name; create it with {@link createCairnTable} or the definition in docs/dynamodb.md. */
  tableName: string;
  /**
   * Partitions of the due-time index, an integer from 1 to 256 (default 4). Workers query every
   * shard on each poll; more shards carry more executions changing their due time per second
   * (docs/dynamodb.md has the capacity math). The table records the count the first process
   * used; a process with another count is refused with {@link TableSettingsMismatchError}.
   * Raise it with `createCairnTable(client, name, { dueShards })`; it cannot shrink.
   */
  dueShards?: number | undefined;
  /**
   * Partitions of the list index, an integer from 1 to 256 (default 4). Every start writes one
   * shard; listing reads them all and merges them in start order. Recorded in the table and
   * checked like `dueShards`.
   */
  listShards?: number | undefined;
}

/** Shard counts a table's processes agree on (see {@link CairnTable}). */
export interface ShardCounts {
  dueShards: number;
  listShards: number;
}

export const DEFAULT_DUE_SHARDS = 4;
export const DEFAULT_LIST_SHARDS = 4;
export const MAX_SHARDS = 256;
/**
 * Name of the table's sparse global secondary index of executions that need a worker at some
 * time (partition `dueShard`, sort `dueAt` in epoch ms). Workers poll it; give it to
 * infrastructure code that defines the table.
 */
export const DUE_INDEX = "due-index";
/**
 * Name of the table's global secondary index of every execution head (partition `listPk`, sort
 * execution id, keys only), for listing executions without a Scan.
 */
export const LIST_INDEX = "list-index";

/** Attribute names, short because every item and request carries them. */
export const A = {
  pk: "pk",
  sk: "sk",
  seq: "seq",
  data: "d",
  parts: "n",
  summary: "sum",
  token: "tok",
  invocation: "inv",
  wakePending: "wake",
  opCount: "ops",
  eventCount: "evs",
  hasOutcome: "oc",
  hasResult: "rs",
  intent: "intent",
  dueShard: "dueShard",
  dueAt: "dueAt",
  leaseOwner: "leaseOwner",
  leaseUntil: "leaseUntil",
  listPk: "listPk",
  executionId: "eid",
  executionArn: "arn",
  functionName: "fn",
  layout: "lv",
  fresh: "fresh",
} as const;

/**
 * The Cairn table's definition (keys, attribute types, both indexes, on-demand billing) as the
 * input of a `CreateTableCommand`, for creating it yourself or comparing it with infrastructure
 * code. Exported as `cairnTableDefinition`.
 *
 * @example
 * ```ts
 * import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
 * import { cairnTableDefinition } from "@cairn/dynamodb";
 *
 * await dynamo.send(new CreateTableCommand({ ...cairnTableDefinition("cairn"), Tags: [{ Key: "team", Value: "orders" }] }));
 * ```
 */
export function definitionOf(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: A.pk, AttributeType: "S" },
      { AttributeName: A.sk, AttributeType: "S" },
      { AttributeName: A.dueShard, AttributeType: "S" },
      { AttributeName: A.dueAt, AttributeType: "N" },
      { AttributeName: A.listPk, AttributeType: "S" },
      { AttributeName: A.executionId, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: A.pk, KeyType: "HASH" },
      { AttributeName: A.sk, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        // Sparse: only executions that need an invocation at some time carry dueShard/dueAt.
        IndexName: DUE_INDEX,
        KeySchema: [
          { AttributeName: A.dueShard, KeyType: "HASH" },
          { AttributeName: A.dueAt, KeyType: "RANGE" },
        ],
        Projection: {
          ProjectionType: "INCLUDE",
          // fresh: a worker can start a never-invoked execution with one read (worker docs).
          NonKeyAttributes: [A.leaseUntil, A.executionArn, A.functionName, A.fresh],
        },
      },
      {
        // Every execution head, by id (ULIDs sort by creation time): listing without a Scan.
        IndexName: LIST_INDEX,
        KeySchema: [
          { AttributeName: A.listPk, KeyType: "HASH" },
          { AttributeName: A.executionId, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
  };
}

/** Settings of {@link createCairnTable}. */
export interface CreateCairnTableOptions {
  /** How long to wait for the table to become active, in seconds (default 120). */
  maxWaitSeconds?: number | undefined;
  /**
   * Records this due-index shard count in the table (or raises the recorded one); left out, the
   * first process to use the table records its own. See {@link CairnTable.dueShards}.
   */
  dueShards?: number | undefined;
  /** Records (or raises) the list-index shard count, as `dueShards`. */
  listShards?: number | undefined;
}

/**
 * Creates the Cairn table (on-demand billing) and waits until it is active. An existing table of
 * that name is left as it is. For production, prefer your infrastructure code: docs/dynamodb.md
 * has the same definition as CloudFormation.
 *
 * With `dueShards` or `listShards`, also records the shard counts every process must use (the
 * other one keeps its recorded value, or its default): on an existing table this raises them,
 * which is safe while processes with the old counts still run; deploy processes with the new
 * counts afterwards.
 *
 * @param client - the client to create the table with.
 * @param tableName - the table's name.
 * @param options - how long to wait, and the shard counts to record.
 * @throws Error when a table of that name exists without Cairn's indexes (it was made for
 *   something else), or when it is not active within `maxWaitSeconds`; the AWS SDK's error when
 *   the request is refused (e.g. missing permissions).
 * @throws RangeError when a shard count is out of range or lower than the one the table records
 *   (counts never shrink: executions in the dropped shards would be missed), or `maxWaitSeconds`
 *   is not a number of seconds >= 2.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { createCairnTable } from "@cairn/dynamodb";
 *
 * await createCairnTable(new DynamoDBClient({}), "cairn"); // safe to run on every deploy
 * await createCairnTable(new DynamoDBClient({}), "busy", { dueShards: 32, listShards: 32 });
 * ```
 */
export async function createCairnTable(client: DynamoDBClient, tableName: string, options: CreateCairnTableOptions = {}): Promise<void> {
  if (options.dueShards !== undefined || options.listShards !== undefined) shardCountsOf(options);
  const maxWaitSeconds = options.maxWaitSeconds ?? 120;
  // Checked before the table is created: the AWS SDK's waiter never gives up on NaN, and refuses
  // 1 or less naming its own settings, after the request has been sent.
  if (typeof maxWaitSeconds !== "number" || !Number.isFinite(maxWaitSeconds) || maxWaitSeconds < 2) {
    throw new RangeError(`createCairnTable: maxWaitSeconds must be a number of seconds >= 2, got ${shownValue(maxWaitSeconds)}.`);
  }
  try {
    await client.send(new CreateTableCommand(definitionOf(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds, minDelay: 1 }, { TableName: tableName });
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const indexes = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const name of [DUE_INDEX, LIST_INDEX]) {
    if (!indexes.has(name)) {
      throw new Error(`Table "${tableName}" exists but has no index "${name}"; it was not created for Cairn (see docs/dynamodb.md).`);
    }
  }
  if (options.dueShards !== undefined || options.listShards !== undefined) {
    await recordShardCounts({ client, tableName }, options);
  }
}

/** Records the given shard counts, raising recorded ones; refuses to lower any. */
async function recordShardCounts(table: CairnTable, wanted: Pick<CairnTable, "dueShards" | "listShards">): Promise<void> {
  for (;;) {
    const recorded = await readShardCounts(table, DEFAULT_RETRY_POLICY);
    const counts = shardCountsOf({ ...recorded, ...definedOnly(wanted) });
    if (recorded) {
      for (const setting of ["dueShards", "listShards"] as const) {
        if (counts[setting] < recorded[setting]) {
          throw new RangeError(
            `Table "${table.tableName}" records ${setting} = ${recorded[setting]}; it cannot go down to ${counts[setting]} ` +
              "(executions in the dropped shards would never be seen again). Keep the count, or move to a new table.",
          );
        }
      }
      if (counts.dueShards === recorded.dueShards && counts.listShards === recorded.listShards) return;
    }
    if (await writeShardCounts(table, counts, recorded, DEFAULT_RETRY_POLICY)) return;
  }
}

function definedOnly(counts: Pick<CairnTable, "dueShards" | "listShards">): Partial<ShardCounts> {
  const out: Partial<ShardCounts> = {};
  if (counts.dueShards !== undefined) out.dueShards = counts.dueShards;
  if (counts.listShards !== undefined) out.listShards = counts.listShards;
  return out;
}

/**
 * The table's shard counts with their defaults. Throws RangeError naming the field for a count that
 * is not an integer from 1 to {@link MAX_SHARDS}.
 */
export function shardCountsOf(table: Pick<CairnTable, "dueShards" | "listShards">): ShardCounts {
  return {
    dueShards: shardCount("dueShards", table.dueShards ?? DEFAULT_DUE_SHARDS),
    listShards: shardCount("listShards", table.listShards ?? DEFAULT_LIST_SHARDS),
  };
}

function shardCount(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_SHARDS) {
    throw new RangeError(
      `${field} must be an integer from 1 to ${MAX_SHARDS}, got ${shownValue(value)}. Every process sharing the table must use the same value ` +
        "(docs/dynamodb.md, \"Sharding\", says how to choose it).",
    );
  }
  return value;
}

/** A stable hash of an execution id (ULIDs end in 80 random bits), spreading ids evenly. */
function idHash(executionId: string): number {
  let hash = 0;
  for (let i = 0; i < executionId.length; i++) hash = (hash * 31 + executionId.charCodeAt(i)) >>> 0;
  return hash;
}

/** The due-index partition of an execution: stable, spread evenly by id. */
export function dueShardOf(executionId: string, shards: number): string {
  return dueShardKey(idHash(executionId) % shards);
}

export const dueShardKey = (shard: number): string => `DUE#${shard}`;

/** The list-index partition of an execution: stable, spread evenly by id. */
export function listShardOf(executionId: string, shards: number): string {
  return listShardKey(idHash(executionId) % shards);
}

export const listShardKey = (shard: number): string => `EXECUTIONS#${shard}`;
