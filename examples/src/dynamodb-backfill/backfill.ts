import { dynamoDbScanSource } from "@cairn/sources";
import { defineDistributedMap, withDurableExecution, type DistributedMapResult, type DurableContext, type RetryStrategy } from "@cairn/sdk";
import { convertOrder, MalformedOrderError, type OrderRowV1 } from "./orders.js";
import { backfillTables, dynamoDb, failedOrders, failedOrdersWriter, getOrderV1, putOrderV2 } from "./tables.js";

/**
 * Starts the backfill of every row of the old table into the new one, or with `mode: "redrive"`
 * copies again only the rows an earlier run failed (see {@link backfillTables} for the tables).
 */
export type BackfillEvent =
  | {
      mode?: "backfill";
      /** Parallel scan segments: one child execution each. */
      segments: number;
      /** Rows per Scan page (one checkpointed cursor per page). Default 100. */
      pageSize?: number;
      /** The function the children run in (default: this function's own name). */
      functionName?: string;
    }
  | {
      mode: "redrive";
      /** The earlier run's `runId` (its summary has it). */
      runId: string;
      /** Children the failed rows are dealt out to. Default 2. */
      partitions?: number;
      functionName?: string;
    };

/** A malformed row fails at once; anything else (throttling, a network error) is retried twice. */
const retryUnlessMalformed: RetryStrategy = (error, attempt) => ({
  shouldRetry: !(error instanceof MalformedOrderError) && attempt < 3,
  delay: { seconds: 1 },
});

/** Converts one row and puts it into the new table, as one at-least-once step (the put is idempotent). */
function copyOrder(ctx: DurableContext, read: () => Promise<OrderRowV1>): Promise<string> {
  return ctx.step(
    "copy",
    async () => {
      const row = convertOrder(await read());
      await putOrderV2(row);
      return row.pk;
    },
    { retryStrategy: retryUnlessMalformed },
  );
}

/**
 * The backfill's processing half, at module scope: each child execution loads this module, finds
 * "orders-dynamodb-backfill" by name and scans its own parallel-scan segment page by page with
 * `dynamoDbScanSource`. Failed rows are recorded by key (`itemId`) in the failures table.
 */
export const ordersBackfill = defineDistributedMap("orders-dynamodb-backfill", {
  source: (params: { pageSize: number }) =>
    dynamoDbScanSource<OrderRowV1>({ client: dynamoDb(), input: { TableName: backfillTables().orders, Limit: params.pageSize } }),
  itemHandler: (row: OrderRowV1, ctx) => copyOrder(ctx, async () => row),
  itemId: (row) => row.pk,
  maxConcurrency: 20,
  failedItemWriter: failedOrdersWriter,
});

/**
 * The redrive's processing half: its items are the keys an earlier run failed, read back from the
 * failures table; each row is read again by key, so a fix made since is what gets copied.
 */
export const ordersBackfillRedrive = defineDistributedMap("orders-dynamodb-backfill-redrive", {
  source: (params: { runId: string }) => failedOrders().source<string>(params.runId),
  itemHandler: (pk: string, ctx) =>
    copyOrder(ctx, async () => {
      const row = await getOrderV1(pk);
      if (row === undefined) throw new MalformedOrderError(`order ${pk}: no longer in the old table`);
      return row;
    }),
  maxConcurrency: 20,
  failedItemWriter: failedOrdersWriter,
});

/** The backfill (tolerating up to 5% malformed rows), or a redrive of an earlier run's failed rows. */
export const handler = withDurableExecution(async (event: BackfillEvent, ctx): Promise<DistributedMapResult> => {
  const functionName = event.functionName === undefined ? {} : { functionName: event.functionName };
  if (event.mode === "redrive") {
    return ctx.distributedMap(ordersBackfillRedrive, {
      params: { runId: event.runId },
      partitions: event.partitions ?? 2,
      completionConfig: { toleratedFailurePercentage: 100 }, // report what still fails; there is nothing left to stop
      ...functionName,
    });
  }
  return ctx.distributedMap(ordersBackfill, {
    params: { pageSize: event.pageSize ?? 100 },
    partitions: event.segments,
    maxChildExecutions: 4,
    completionConfig: { toleratedFailurePercentage: 5 },
    ...functionName,
  });
});
