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

/**
 * Where Cairn's data lives: a client and a table name (plus the shard count of the due index).
 * The client, the workers and the store all take one; they never close the client.
 */
export interface CairnTable {
  /** The AWS SDK v3 client to send requests with (its region, credentials and endpoint apply). */
  client: DynamoDBClient;
  /** The table's name; create it with {@link createCairnTable} or the definition in docs/dynamodb.md. */
  tableName: string;
  /**
   * Partitions of the due-time index (default 4). Workers query every shard; more shards spread
   * the write load of many executions changing their due time. Every process sharing the table
   * must use the same value.
   */
  dueShards?: number | undefined;
}

export const DEFAULT_DUE_SHARDS = 4;
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
} as const;

export const LIST_PARTITION = "EXECUTIONS";

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
          NonKeyAttributes: [A.leaseUntil, A.executionArn, A.functionName],
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

/**
 * Creates the Cairn table (on-demand billing) and waits until it is active. An existing table of
 * that name is left as it is. For production, prefer your infrastructure code: docs/dynamodb.md
 * has the same definition as CloudFormation.
 *
 * @param client - the client to create the table with.
 * @param tableName - the table's name.
 * @param options - `maxWaitSeconds`: how long to wait for the table to become active (default 120).
 * @throws Error when a table of that name exists without Cairn's indexes (it was made for
 *   something else), or when it is not active within `maxWaitSeconds`; the AWS SDK's error when
 *   the request is refused (e.g. missing permissions).
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { createCairnTable } from "@cairn/dynamodb";
 *
 * await createCairnTable(new DynamoDBClient({}), "cairn"); // safe to run on every deploy
 * ```
 */
export async function createCairnTable(client: DynamoDBClient, tableName: string, options: { maxWaitSeconds?: number } = {}): Promise<void> {
  try {
    await client.send(new CreateTableCommand(definitionOf(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: options.maxWaitSeconds ?? 120, minDelay: 1 }, { TableName: tableName });
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const indexes = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const name of [DUE_INDEX, LIST_INDEX]) {
    if (!indexes.has(name)) {
      throw new Error(`Table "${tableName}" exists but has no index "${name}"; it was not created for Cairn (see docs/dynamodb.md).`);
    }
  }
}

export function dueShardsOf(table: CairnTable): number {
  const shards = table.dueShards ?? DEFAULT_DUE_SHARDS;
  if (!Number.isInteger(shards) || shards < 1 || shards > 64) {
    throw new RangeError(`dueShards must be an integer from 1 to 64, got ${shards}`);
  }
  return shards;
}

/** The due-index partition of an execution: stable, spread evenly by id. */
export function dueShardOf(executionId: string, shards: number): string {
  let hash = 0;
  for (let i = 0; i < executionId.length; i++) hash = (hash * 31 + executionId.charCodeAt(i)) >>> 0;
  return `DUE#${hash % shards}`;
}
