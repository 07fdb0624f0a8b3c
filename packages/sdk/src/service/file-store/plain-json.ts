// JSON text of a mutation, fast. JSON.stringify leaves V8's fast path for every object that has a
// toJSON method, and a mutation carries several Dates (each operation's and event's timestamps):
// stringifying one took about three times as long as the same value with the Dates already text.
// So the value is first copied with each Date replaced by its ISO text, and a record's timestamps,
// mostly the same millisecond, share one conversion. The text is what JSON.stringify gives.

/** The last Date converted: a record's timestamps are mostly the same millisecond. */
let lastTime = Number.NaN;
let lastText = "";

/** What JSON.stringify writes for `date` (Date.prototype.toJSON): its ISO text, or null when invalid. */
function dateText(date: Date): string | null {
  const time = date.getTime();
  if (time === lastTime) return lastText;
  if (!Number.isFinite(time)) return null;
  lastText = date.toISOString();
  lastTime = time;
  return lastText;
}

/**
 * `value` with every Date inside plain objects and arrays replaced by its JSON text. Anything
 * else that is not a plain object or an array is left for JSON.stringify to convert, so the
 * result stringifies to exactly the same text as `value`.
 */
function withDatesAsText(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return dateText(value);
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = withDatesAsText(value[i]);
    return copy;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) copy[key] = withDatesAsText((value as Record<string, unknown>)[key]);
  }
  return copy;
}

/** JSON.stringify(value), taking V8's fast path for the Dates a mutation holds. */
export function stringifyWithDates(value: unknown): string {
  return JSON.stringify(withDatesAsText(value));
}
