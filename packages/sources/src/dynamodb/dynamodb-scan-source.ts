import type { DistributedMapPaginatedSource } from "@cairn/sdk";
import type { DynamoDBClient, ScanCommandInput } from "@aws-sdk/client-dynamodb";
import { requireClient, requireCursorObject, requireOptions, wholeNumber } from "../validate.js";
import { checkInput } from "./dynamodb-query-source.js";
import { dynamoDbModule } from "./dynamodb-module.js";
import { shapeItems, type ItemShape } from "./items.js";
import { decodeKey, encodeKey, type CursorKey } from "./key-codec.js";

/** Options of {@link dynamoDbScanSource}. */
export interface DynamoDbScanSourceOptions extends ItemShape {
  /** The DynamoDB client (`new DynamoDBClient(...)` from `@aws-sdk/client-dynamodb`). */
  client: DynamoDBClient;
  /** The Scan, without `ExclusiveStartKey`, `Segment` or `TotalSegments`. `Limit` is the page size. */
  input: Omit<ScanCommandInput, "ExclusiveStartKey" | "Segment" | "TotalSegments">;
  /**
   * Parallel scan segments `partitions` splits into (1 to 1 000 000). Default: the count the
   * distributed map asks for (`config.partitions`).
   */
  segments?: number;
}

/** Where a Scan page starts: the segment scanned (absent: the whole table) and the previous page's `LastEvaluatedKey`. */
export interface DynamoDbScanCursor {
  /** The parallel scan segment (0-based). */
  segment?: number;
  /** How many segments the table is scanned in. */
  totalSegments?: number;
  /** The key to start after (absent: the segment's start). */
  exclusiveStartKey?: CursorKey;
}

const MAX_SEGMENTS = 1_000_000;

/**
 * A distributed map source over the pages of a DynamoDB Scan: each item is one item of the table
 * (or index), unmarshalled (or AttributeValue maps with `raw: true`), one Scan call per page
 * (`input.Limit` items per page, DynamoDB's 1 MB at most; a page may be empty when a filter drops
 * everything it read). The cursor ({@link DynamoDbScanCursor}) is the segment and the page's
 * `LastEvaluatedKey`.
 *
 * `partitions(count)` is a parallel scan: `segments` (else `count`) start cursors, segment `i` of
 * `n` each, so each child scans its own segment and DynamoDB guarantees every item is in exactly
 * one segment.
 *
 * Needs `dynamodb:Scan` on the table (and on the index with `IndexName`).
 *
 * @example
 * ```ts
 * const users = dynamoDbScanSource({ client: new DynamoDBClient({}), input: { TableName: "users", Limit: 500 }, segments: 16 });
 * ```
 */
export function dynamoDbScanSource<T = Record<string, unknown>>(options: DynamoDbScanSourceOptions): DistributedMapPaginatedSource<T, DynamoDbScanCursor> {
  const factory = "dynamoDbScanSource";
  requireOptions(factory, options, "{ client, input, segments?, raw?, unmarshallOptions? }");
  requireClient(factory, options.client, "a DynamoDBClient");
  checkInput(factory, options.input, ["ExclusiveStartKey", "Segment", "TotalSegments"]);
  const segments = options.segments === undefined ? undefined : wholeNumber(factory, "segments", options.segments, 1, 1, MAX_SEGMENTS);
  const { client, input } = options;
  return {
    async readPage(value) {
      const cursor: DynamoDbScanCursor = value == null ? {} : (requireCursorObject(factory, value) as DynamoDbScanCursor);
      const segment = cursor.segment === undefined ? {} : { Segment: cursor.segment, TotalSegments: cursor.totalSegments };
      const start = cursor.exclusiveStartKey === undefined ? undefined : decodeKey(factory, cursor.exclusiveStartKey);
      const { ScanCommand } = await dynamoDbModule();
      const page = await client.send(new ScanCommand({ ...input, ...segment, ExclusiveStartKey: start }));
      const items = shapeItems(page.Items, options) as T[];
      if (page.LastEvaluatedKey === undefined) return { items, nextCursor: null };
      const where = cursor.segment === undefined ? {} : { segment: cursor.segment, totalSegments: cursor.totalSegments! };
      return { items, nextCursor: { ...where, exclusiveStartKey: encodeKey(page.LastEvaluatedKey) } };
    },
    partitions(count) {
      const total = segments ?? wholeNumber(factory, "partitions(count)", count, 1, 1, MAX_SEGMENTS);
      return Array.from({ length: total }, (_, segment) => ({ segment, totalSegments: total }));
    },
  };
}
