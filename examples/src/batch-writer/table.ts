/** One row to store. */
export interface Row {
  pk: string;
  value: number;
}

/** A DynamoDB-style table: BatchWriteItem takes at most 25 rows and may leave some unprocessed. */
export interface Table {
  batchWrite(rows: readonly Row[]): Promise<{ unprocessed: Row[] }>;
}

/**
 * An in-memory table that throttles: the first call that includes a row named in `throttleOnce`
 * leaves it unprocessed. Records every call so tests can see what was written when.
 */
export function inMemoryTable(throttleOnce: readonly string[] = []) {
  const rows = new Map<string, number>();
  const calls: string[][] = [];
  const throttled = new Set(throttleOnce);
  const table: Table = {
    async batchWrite(batch) {
      if (batch.length > 25) throw new Error(`ValidationException: ${batch.length} items, at most 25 per BatchWriteItem`);
      calls.push(batch.map((row) => row.pk));
      const unprocessed: Row[] = [];
      for (const row of batch) {
        if (throttled.delete(row.pk)) unprocessed.push(row);
        else rows.set(row.pk, row.value);
      }
      return { unprocessed };
    },
  };
  return { table, rows, calls };
}
