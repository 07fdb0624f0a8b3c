import type { DistributedMapPaginatedSource } from "@cairn/sdk";
import { ValidationError } from "@cairn/sdk";
import type { DynamoDBClient, QueryCommandInput } from "@aws-sdk/client-dynamodb";
import { requireClient, requireCursorObject, requireOptions, requireString } from "../validate.js";
import { dynamoDbModule } from "./dynamodb-module.js";
import { shapeItems, type ItemShape } from "./items.js";
import { decodeKey, encodeKey, type CursorKey } from "./key-codec.js";

/** Options of {@link dynamoDbQuerySource}. */
export interface DynamoDbQuerySourceOptions extends ItemShape {
  /** The DynamoDB client (`new DynamoDBClient(...)` from `@aws-sdk/client-dynamodb`). */
  client: DynamoDBClient;
  /** The Query, without `ExclusiveStartKey` (the cursor supplies it). `Limit` is the page size. */
  input: Omit<QueryCommandInput, "ExclusiveStartKey">;
}

/** Where a Query page starts: the previous page's `LastEvaluatedKey`, binary attributes as base64. */
export interface DynamoDbQueryCursor {
  /** The key to start after. */
  exclusiveStartKey: CursorKey;
}

/** Checks the parts of a Query or Scan input every page shares. */
export function checkInput(factory: string, input: unknown, forbidden: readonly string[]): void {
  if (typeof input !== "object" || input === null) throw new ValidationError(`${factory}: input must be the command's input object ({ TableName, ... }).`);
  requireString(factory, "input.TableName", (input as { TableName?: unknown }).TableName);
  for (const field of forbidden) {
    if ((input as Record<string, unknown>)[field] !== undefined) {
      throw new ValidationError(`${factory}: leave input.${field} out; ${field === "ExclusiveStartKey" ? "the cursor carries where a page starts" : "use the segments option (or config.partitions) to scan in parallel"}.`);
    }
  }
}

/**
 * A distributed map source over the pages of a DynamoDB Query: each item is one item of the
 * result, unmarshalled to a plain object (or the AttributeValue map with `raw: true`), one Query
 * call per page (`input.Limit` items per page, DynamoDB's 1 MB at most). The cursor
 * ({@link DynamoDbQueryCursor}) is the page's `LastEvaluatedKey`. A query has no natural split,
 * so it has no `partitions`: one child reads it (or use the definition's `partitionOf`).
 *
 * Needs `dynamodb:Query` on the table (and on the index with `IndexName`).
 *
 * @example
 * ```ts
 * const orders = dynamoDbQuerySource({
 *   client: new DynamoDBClient({}),
 *   input: { TableName: "orders", KeyConditionExpression: "customer = :c", ExpressionAttributeValues: { ":c": { S: "c-42" } }, Limit: 200 },
 * });
 * ```
 */
export function dynamoDbQuerySource<T = Record<string, unknown>>(options: DynamoDbQuerySourceOptions): DistributedMapPaginatedSource<T, DynamoDbQueryCursor> {
  const factory = "dynamoDbQuerySource";
  requireOptions(factory, options, "{ client, input, raw?, unmarshallOptions? }");
  requireClient(factory, options.client, "a DynamoDBClient");
  checkInput(factory, options.input, ["ExclusiveStartKey"]);
  const { client, input } = options;
  return {
    async readPage(cursor) {
      const start = cursor == null ? undefined : decodeKey(factory, requireCursorObject(factory, cursor).exclusiveStartKey);
      const { QueryCommand } = await dynamoDbModule();
      const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      const items = shapeItems(page.Items, options) as T[];
      return { items, nextCursor: page.LastEvaluatedKey === undefined ? null : { exclusiveStartKey: encodeKey(page.LastEvaluatedKey) } };
    },
  };
}
