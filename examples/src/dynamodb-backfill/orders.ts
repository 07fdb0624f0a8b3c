// The two schemas of the orders table and the conversion between them. Pure: no I/O, so the
// conversion is the same in the first run and in a redrive.

/** An order as the old table stores it: amount as a decimal string, time as epoch seconds. */
export interface OrderRowV1 {
  pk: string;
  amount?: string;
  currency?: string;
  customer?: string;
  placedAt?: number;
}

/** An order in the new table: amount in cents, ISO time, the customer under its new name. */
export interface OrderRowV2 {
  pk: string;
  amountCents: number;
  currency: string;
  customerId: string;
  placedAt: string;
  schemaVersion: 2;
}

/** An old row that cannot be converted. It fails its item (no retry: it would fail again). */
export class MalformedOrderError extends Error {
  override name = "MalformedOrderError";
}

/**
 * Converts one old row. Throws {@link MalformedOrderError} naming the row and the field, so the
 * failed-item list says what to fix.
 */
export function convertOrder(row: OrderRowV1): OrderRowV2 {
  const amount = /^(\d+)(?:\.(\d{1,2}))?$/.exec(row.amount ?? "");
  if (amount === null) throw new MalformedOrderError(`order ${row.pk}: amount ${JSON.stringify(row.amount ?? null)} is not a decimal like "12.50"`);
  if (typeof row.customer !== "string" || row.customer.length === 0) throw new MalformedOrderError(`order ${row.pk}: customer is missing`);
  if (typeof row.placedAt !== "number") throw new MalformedOrderError(`order ${row.pk}: placedAt is missing`);
  const cents = Number(amount[1]) * 100 + Number((amount[2] ?? "0").padEnd(2, "0"));
  return {
    pk: row.pk,
    amountCents: cents,
    currency: row.currency ?? "EUR",
    customerId: row.customer,
    placedAt: new Date(row.placedAt * 1000).toISOString(),
    schemaVersion: 2,
  };
}
