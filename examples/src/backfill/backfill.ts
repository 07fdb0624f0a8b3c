import { defineDistributedMap, withDurableExecution, type DistributedMapResult } from "@cairn/sdk";
import { database, type OrderRow, type ScanCursor } from "./tables.js";

/** What the backfill is started with. */
export interface BackfillEvent {
  /** Parallel scan segments: one child execution each. */
  segments: number;
  /** Rows per scan page (one checkpointed cursor per page). */
  pageSize?: number;
  /** The function the children run in (default: this function's own name). */
  functionName?: string;
}

/** An old-schema row that cannot be converted: it fails its item, and the backfill goes on. */
export class MalformedRowError extends Error {
  override name = "MalformedRowError";
}

/**
 * Copies every order into the new schema. Defined at module scope: each child execution loads
 * this module, finds "orders-backfill" by name and scans its own segment page by page.
 */
export const ordersBackfill = defineDistributedMap("orders-backfill", {
  source: (params: { segments: number; pageSize: number }) => ({
    readPage: async (cursor: ScanCursor | undefined) =>
      database.orders.scanPage(cursor ?? { segment: 0, totalSegments: 1 }, params.pageSize),
    partitions: (count: number): ScanCursor[] => Array.from({ length: count }, (_, segment) => ({ segment, totalSegments: count })),
  }),
  itemHandler: async (row: OrderRow, ctx) =>
    ctx.step(
      "convert-and-put",
      async () => {
        if (row.amountCents === undefined) throw new MalformedRowError(`order ${row.pk} has no amount`);
        // A put by key is idempotent: a retried or re-run step writes the same row again.
        database.ordersV2.put({ pk: row.pk, amount: { cents: row.amountCents, currency: row.currency ?? "EUR" } });
        return row.pk;
      },
      { retryStrategy: (error, attempt) => ({ shouldRetry: !(error instanceof MalformedRowError) && attempt < 3, delay: { seconds: 1 } }) },
    ),
  itemId: (row) => row.pk,
  maxConcurrency: 20,
});

/**
 * The backfill. The tables are in memory here (see backfill.test.ts); deployed, `readPage` would
 * be a DynamoDB Scan with `Segment` / `TotalSegments` and `ExclusiveStartKey` from the cursor.
 */
export const handler = withDurableExecution(
  async (event: BackfillEvent, ctx): Promise<DistributedMapResult> =>
    ctx.distributedMap(ordersBackfill, {
      params: { segments: event.segments, pageSize: event.pageSize ?? 100 },
      partitions: event.segments,
      maxChildExecutions: 4,
      completionConfig: { toleratedFailurePercentage: 5 },
      ...(event.functionName === undefined ? {} : { functionName: event.functionName }),
    }),
);
