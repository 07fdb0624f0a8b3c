// A distributed map's progress board kept in DynamoDB: each partition's latest counts and the
// run's stop under a key of their own in the execution table, so children on any worker or
// Lambda invocation apply the run's completion across all items.
import { PutItemCommand, QueryCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  DISTRIBUTED_MAP_COUNT_NAMES,
  type DistributedMapBoardView,
  type DistributedMapCounts,
  type DistributedMapProgressBoard,
  type DistributedMapStopReason,
} from "@cairn/sdk";
import { deleteItems } from "./batch-io.js";
import { retryPolicyOf, isConditionFailure, withRetry, type RetryPolicy } from "./retry.js";
import { A, type CairnTable } from "./table.js";

/** Options of {@link DynamoDbProgressBoard}. */
export interface DynamoDbProgressBoardOptions {
  /** The table (its client and name): the execution table, or any table whose keys are strings `pk` and `sk`. */
  table: CairnTable;
  /** How throttled or failed requests are retried (default: the store's). */
  retry?: RetryPolicy | undefined;
}

const PREFIX = "B#";
const STOP_KEY = "stop";
/** Attribute holding a partition's total, the condition that keeps a late stale report from going back. */
const TOTAL = "t";

/**
 * Keeps a distributed map's progress board in DynamoDB — `pk = "B#<run id>"`, one item per
 * partition (`sk = "p#<partition>"`, its latest counts as JSON in `d`) and one for the stop (`sk =
 * "stop"`). A report is one conditional `PutItem` and one strongly consistent `Query` of the run's
 * key (a few dozen small items), so two requests per page a child processes; when the run's
 * children have all ended the parent deletes the run's items. A report never
 * replaces counts with a smaller total (a superseded invocation of a child reporting late cannot
 * take the board back), and the first stop posted stays.
 *
 * @example
 * ```ts
 * const board = new DynamoDbProgressBoard({ table: { client, tableName: "cairn" } });
 * const backfill = defineDistributedMap("backfill", { source, itemHandler, progressBoard: board });
 * ```
 */
export class DynamoDbProgressBoard implements DistributedMapProgressBoard {
  private readonly table: CairnTable;
  private readonly retry: RetryPolicy;

  /** A board in `options.table`. */
  constructor(options: DynamoDbProgressBoardOptions) {
    if (!options?.table?.client || typeof options.table.tableName !== "string" || options.table.tableName.length === 0) {
      throw new TypeError("DynamoDbProgressBoard: pass table: { client, tableName } (the execution table will do).");
    }
    this.table = options.table;
    this.retry = retryPolicyOf("DynamoDbProgressBoard: retry", options.retry);
  }

  /** Records partition's latest counts (never going back to a smaller total) and returns the run's view. */
  async report(runId: string, partition: number, counts: DistributedMapCounts): Promise<DistributedMapBoardView> {
    await this.put(runId, `p#${String(partition).padStart(6, "0")}`, JSON.stringify(counts), counts.total);
    return this.read(runId);
  }

  /** The run's view: every partition's latest counts summed, and the stop posted, if any. */
  async read(runId: string): Promise<DistributedMapBoardView> {
    const counts: DistributedMapCounts = { succeeded: 0, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 0 };
    let stopped: DistributedMapStopReason | undefined;
    for (const item of await this.items(runId)) {
      const data = JSON.parse(item[A.data]?.S ?? "{}") as Record<string, unknown>;
      if (item[A.sk]?.S === STOP_KEY) stopped = data.reason as DistributedMapStopReason;
      else for (const field of DISTRIBUTED_MAP_COUNT_NAMES) counts[field] += typeof data[field] === "number" ? data[field] : 0;
    }
    return stopped === undefined ? { counts } : { counts, stopped };
  }

  /** Deletes the run's items (the parent does when all its children have ended). */
  async forget(runId: string): Promise<void> {
    await deleteItems(this.table, this.retry, await this.items(runId));
  }

  /** Posts a stop; the first reason posted stays. */
  async stop(runId: string, reason: DistributedMapStopReason): Promise<void> {
    await this.put(runId, STOP_KEY, JSON.stringify({ reason }));
  }

  /** Every item of the run: one per partition that reported, and the stop (a strongly consistent Query). */
  private async items(runId: string): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let after: Record<string, AttributeValue> | undefined;
    do {
      const page = await withRetry("Query", this.table.tableName, this.retry, () =>
        this.table.client.send(
          new QueryCommand({
            TableName: this.table.tableName,
            KeyConditionExpression: "#pk = :pk",
            ExpressionAttributeNames: { "#pk": A.pk },
            ExpressionAttributeValues: { ":pk": { S: PREFIX + runId } },
            ConsistentRead: true,
            ...(after === undefined ? {} : { ExclusiveStartKey: after }),
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      after = page.LastEvaluatedKey;
    } while (after);
    return items;
  }

  /**
   * Writes one of the run's items unless it is there already — or, given `total` (a partition's
   * report), unless it is there with a larger total.
   */
  private async put(runId: string, sk: string, data: string, total?: number): Promise<void> {
    try {
      await withRetry("PutItem", this.table.tableName, this.retry, () =>
        this.table.client.send(
          new PutItemCommand({
            TableName: this.table.tableName,
            Item: { [A.pk]: { S: PREFIX + runId }, [A.sk]: { S: sk }, [A.data]: { S: data }, [TOTAL]: { N: String(total ?? 0) } },
            ...(total === undefined
              ? { ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": A.pk } }
              : {
                  ConditionExpression: "attribute_not_exists(#pk) OR #t <= :t",
                  ExpressionAttributeNames: { "#pk": A.pk, "#t": TOTAL },
                  ExpressionAttributeValues: { ":t": { N: String(total) } },
                }),
          }),
        ),
      );
    } catch (error) {
      // Already there with a larger total, or a stop already posted: the board keeps what it has.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
