// A distributed map's full failed-item list kept in DynamoDB: one item per failed item, under a key
// of its own in the execution table (or any table with string keys `pk` and `sk`), written by the
// children page by page and read back for a redrive.
import { QueryCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type {
  DistributedMapFailedItem,
  DistributedMapFailedItemBatch,
  DistributedMapFailedItemWriter,
  DistributedMapPaginatedSource,
} from "@cairn/sdk";
import { shownValue } from "@cairn/sdk/backend";
import { putItems } from "./batch-io.js";
import { PART_BYTES, type Item } from "./item-layout.js";
import { retryPolicyOf, withRetry, type RetryPolicy } from "./retry.js";
import { A, type CairnTable } from "./table.js";

/** Where a redrive source over DynamoDB stands. */
export interface DynamoDbFailedItemsCursor {
  /** The original partitions this reader covers, in order. */
  partitions: number[];
  /** Index into `partitions` of the one being read. */
  at: number;
  /** Sort key of the last item read in it, if any. */
  after?: string | undefined;
}

/** Options of {@link DynamoDbFailedItemWriter}. */
export interface DynamoDbFailedItemWriterOptions {
  /** The table (its client and name): the execution table, or any table whose keys are strings `pk` and `sk`. */
  table: CairnTable;
  /** Failed items per page a redrive source reads (default 100). */
  pageSize?: number | undefined;
  /** How throttled or failed requests are retried (default: the store's). */
  retry?: RetryPolicy | undefined;
}

const PREFIX = "F#";
const pad = (n: number, width: number): string => String(n).padStart(width, "0");
const pageKey = (partition: number, page: number): string => `${pad(partition, 6)}#${pad(page, 9)}#`;

/**
 * Keeps a distributed map's failed items in DynamoDB — `pk = "F#<run id>"`, `sk =
 * "<partition>#<page>#<index>"`, the failed item as JSON in `d` — so the execution table needs no
 * second table. A page written again after a crash writes the same keys (the idempotence the writer
 * interface asks for). {@link DynamoDbFailedItemWriter.read} gives a run's items back in partition
 * and page order, {@link DynamoDbFailedItemWriter.source} feeds a redrive.
 *
 * @example
 * ```ts
 * const failures = new DynamoDbFailedItemWriter({ table: { client, tableName: "cairn" } });
 * const backfill = defineDistributedMap("backfill", { source, itemHandler, failedItemWriter: failures });
 * ```
 */
export class DynamoDbFailedItemWriter implements DistributedMapFailedItemWriter {
  private readonly table: CairnTable;
  private readonly pageSize: number;
  private readonly retry: RetryPolicy;

  /** A writer into `options.table`. */
  constructor(options: DynamoDbFailedItemWriterOptions) {
    if (!options?.table?.client || typeof options.table.tableName !== "string" || options.table.tableName.length === 0) {
      throw new TypeError("DynamoDbFailedItemWriter: pass table: { client, tableName } (the execution table will do).");
    }
    const pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new RangeError(`DynamoDbFailedItemWriter: pageSize must be a whole number from 1 to 1000, got ${shownValue(options.pageSize)}.`);
    }
    this.table = options.table;
    this.pageSize = pageSize;
    this.retry = retryPolicyOf("DynamoDbFailedItemWriter: retry", options.retry);
  }

  /** Writes one page's failed items (25 to a request), replacing an earlier write of the same page. */
  async write(batch: DistributedMapFailedItemBatch): Promise<void> {
    const prefix = pageKey(batch.partition, batch.page);
    const items: Item[] = batch.items.map((failed, index) => {
      const data = JSON.stringify(failed);
      if (Buffer.byteLength(data) > PART_BYTES) {
        throw new RangeError(
          `DynamoDbFailedItemWriter: failed item ${index} of partition ${batch.partition}, page ${batch.page} is ${Buffer.byteLength(data)} bytes ` +
            `as JSON, more than a DynamoDB item holds; set itemId in the definition to record a smaller identity.`,
        );
      }
      return { [A.pk]: { S: PREFIX + batch.runId }, [A.sk]: { S: prefix + pad(index, 6) }, [A.data]: { S: data } };
    });
    await putItems(this.table, this.retry, items);
  }

  /** Every failed item written for `runId`, in partition and page order. */
  async read(runId: string): Promise<DistributedMapFailedItem[]> {
    const items: DistributedMapFailedItem[] = [];
    let after: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.query(runId, "", undefined, after, undefined);
      for (const item of page.Items ?? []) items.push(JSON.parse(item[A.data]?.S ?? "null") as DistributedMapFailedItem);
      after = page.LastEvaluatedKey;
    } while (after);
    return items;
  }

  /**
   * A paginated source over the failed items of `runId` (their recorded identities, `item`) for a
   * **redrive**: a distributed map over it runs only the items that failed or timed out.
   * `partitions(count)` deals the original partitions that had failures out to up to `count`
   * children. The run must be finished.
   *
   * @typeParam TItem The items' type, as the definition recorded them (unchecked).
   */
  source<TItem = unknown>(runId: string): DistributedMapPaginatedSource<TItem, DynamoDbFailedItemsCursor> {
    return {
      readPage: async (cursor) => {
        const at = cursor ?? { partitions: await this.partitionsOf(runId), at: 0 };
        for (let index = at.at, after = at.after; index < at.partitions.length; index++, after = undefined) {
          const partition = at.partitions[index] as number;
          const startKey = after === undefined ? undefined : { [A.pk]: { S: PREFIX + runId }, [A.sk]: { S: after } };
          const page = await this.query(runId, `${pad(partition, 6)}#`, this.pageSize, startKey, undefined);
          const items = (page.Items ?? []).map((item) => (JSON.parse(item[A.data]?.S ?? "null") as DistributedMapFailedItem).item as TItem);
          if (items.length === 0 && !page.LastEvaluatedKey) continue;
          const last = page.LastEvaluatedKey?.[A.sk]?.S;
          if (last !== undefined) return { items, nextCursor: { partitions: at.partitions, at: index, after: last } };
          return index + 1 < at.partitions.length ? { items, nextCursor: { partitions: at.partitions, at: index + 1 } } : { items };
        }
        return { items: [] };
      },
      partitions: async (count) => {
        const partitions = await this.partitionsOf(runId);
        const buckets = Math.max(1, Math.min(count, partitions.length));
        return Array.from({ length: buckets }, (_, bucket) => ({ partitions: partitions.filter((_, i) => i % buckets === bucket), at: 0 }));
      },
    };
  }

  /** The original partitions that have failed items, ascending (reads only the keys). */
  private async partitionsOf(runId: string): Promise<number[]> {
    const partitions = new Set<number>();
    let after: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.query(runId, "", undefined, after, A.sk);
      for (const item of page.Items ?? []) partitions.add(Number((item[A.sk]?.S ?? "").slice(0, 6)));
      after = page.LastEvaluatedKey;
    } while (after);
    return [...partitions].sort((a, b) => a - b);
  }

  private query(
    runId: string,
    skPrefix: string,
    limit: number | undefined,
    after: Record<string, AttributeValue> | undefined,
    projection: string | undefined,
  ) {
    const names: Record<string, string> = { "#pk": A.pk };
    const values: Record<string, AttributeValue> = { ":pk": { S: PREFIX + runId } };
    let condition = "#pk = :pk";
    if (skPrefix !== "") {
      names["#sk"] = A.sk;
      values[":sk"] = { S: skPrefix };
      condition += " AND begins_with(#sk, :sk)";
    }
    if (projection !== undefined) names["#p"] = projection;
    return withRetry("Query", this.table.tableName, this.retry, () =>
      this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ...(limit === undefined ? {} : { Limit: limit }),
          ...(after === undefined ? {} : { ExclusiveStartKey: after }),
          ...(projection === undefined ? {} : { ProjectionExpression: "#p" }),
          ConsistentRead: true,
        }),
      ),
    );
  }
}
