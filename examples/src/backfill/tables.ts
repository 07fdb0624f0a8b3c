// An in-memory stand-in for a key-value table with DynamoDB-style scans: pages of at most `limit`
// rows in key order, and parallel scan segments (each segment a slice of the key space).

/** An order row as the old schema stored it. */
export interface OrderRow {
  pk: string;
  amountCents?: number;
  currency?: string;
}

/** Where a scan of one segment stands: the segment and the last key read. */
export interface ScanCursor {
  segment: number;
  totalSegments: number;
  lastKey?: string;
}

/** A table of rows by key, scanned in key order. */
export class MemoryTable<Row extends { pk: string }> {
  readonly rows = new Map<string, Row>();
  /** Every put, in order (a row put twice appears twice). */
  readonly puts: string[] = [];

  put(row: Row): void {
    this.rows.set(row.pk, row);
    this.puts.push(row.pk);
  }

  /** One page of a segment's rows after `cursor.lastKey`, like a Scan with Segment and ExclusiveStartKey. */
  scanPage(cursor: ScanCursor, limit: number): { items: Row[]; nextCursor?: ScanCursor } {
    const keys = [...this.rows.keys()].sort().filter((key) => segmentOf(key, cursor.totalSegments) === cursor.segment);
    const start = cursor.lastKey === undefined ? 0 : keys.findIndex((key) => key > (cursor.lastKey as string));
    const page = start < 0 ? [] : keys.slice(start, start + limit);
    const items = page.map((key) => this.rows.get(key) as Row);
    const last = page.at(-1);
    const more = start >= 0 && start + limit < keys.length;
    return more && last !== undefined ? { items, nextCursor: { ...cursor, lastKey: last } } : { items };
  }
}

/** A stable hash of the key, as DynamoDB assigns items to parallel-scan segments. */
function segmentOf(key: string, totalSegments: number): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return hash % totalSegments;
}

/** The example's tables, by name: what a deployed function would reach through its clients. */
export const database = {
  orders: new MemoryTable<OrderRow>(),
  ordersV2: new MemoryTable<{ pk: string; amount: { cents: number; currency: string } }>(),
};
