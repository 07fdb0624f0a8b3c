/**
 * A bad option value as an error message shows it: numbers as written (JSON would turn NaN and
 * Infinity into null), strings quoted (so "50" does not read as 50 and "" is visible), objects as
 * JSON, anything JSON cannot write (undefined, a function) by String.
 */
export function shownValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? String(value);
}
