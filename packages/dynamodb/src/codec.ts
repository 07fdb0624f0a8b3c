// JSON with Dates kept as Dates: operations, events and summaries carry Date fields, and a record
// loaded from the table must equal the one that was written.

const DATE_KEY = "$date";

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, converted: unknown) {
    // `converted` is already Date#toJSON's string; the original value is still on the holder.
    const raw = this[key];
    return raw instanceof Date ? { [DATE_KEY]: raw.getTime() } : converted;
  });
}

export function decodeJson<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const time = (value as Record<string, unknown>)[DATE_KEY];
      if (keys.length === 1 && typeof time === "number") return new Date(time);
    }
    return value;
  }) as T;
}
