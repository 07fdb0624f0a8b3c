import { createRetryStrategy, JitterStrategy, type DurableContext } from "@cairn/sdk";
import type { Row, Table } from "./table.js";

export interface ImportInput {
  rows: Row[];
}

export interface ImportOutcome {
  written: number;
  failed: string[];
  chunks: number;
}

class UnprocessedRows extends Error {
  constructor(count: number) {
    super(`${count} rows left unprocessed (throttled); try again`);
    this.name = "UnprocessedRows";
  }
}

/**
 * Writes rows 25 at a time: one durable chunk per BatchWriteItem, retried as a unit when the table
 * leaves rows unprocessed (re-putting a row is harmless: a put overwrites). The result still says,
 * per row, whether it was written.
 */
export function createImportWorkflow(table: Table) {
  return async (input: ImportInput, ctx: DurableContext): Promise<ImportOutcome> => {
    const result = await ctx.mapBatches(
      "write-rows",
      input.rows,
      (c, batch) =>
        c.step("batch-write", async () => {
          const { unprocessed } = await table.batchWrite(batch);
          if (unprocessed.length > 0) throw new UnprocessedRows(unprocessed.length);
          return batch.map(() => true);
        }),
      {
        itemBatcher: { maxItemsPerBatch: 25 },
        maxConcurrency: 2,
        retryStrategy: createRetryStrategy({ maxAttempts: 4, initialDelay: { seconds: 1 }, jitter: JitterStrategy.FULL, retryableErrors: [/try again/] }),
        itemTimeout: { minutes: 2 },
        completionConfig: { toleratedFailurePercentage: 100 },
      },
    );
    return {
      written: result.successCount,
      failed: result.failed().map((item) => input.rows[item.index]?.pk ?? String(item.index)),
      chunks: Math.ceil(input.rows.length / 25),
    };
  };
}
