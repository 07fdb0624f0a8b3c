import { ValidationError } from "@cairn/sdk";
import { shownValue } from "@cairn/sdk/backend";

/** Checks that `options` is an object, naming the factory that was called. */
export function requireOptions(factory: string, options: unknown, shape: string): asserts options is Record<string, unknown> {
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(`${factory}: pass an options object ${shape}, got ${options === null ? "null" : typeof options}.`);
  }
}

/** Checks a required, non-empty string option. */
export function requireString(factory: string, field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(`${factory}: ${field} must be a non-empty string, got ${JSON.stringify(value) ?? typeof value}.`);
  }
  return value;
}

/** Checks an optional string option (empty allowed). */
export function optionalString(factory: string, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ValidationError(`${factory}: ${field} must be a string when given, got ${typeof value}.`);
  return value;
}

/** Checks an optional whole-number option within [min, max], returning it or the default. */
export function wholeNumber(factory: string, field: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${factory}: ${field} must be a whole number from ${min} to ${max}, got ${shownValue(value)}.`);
  }
  return value;
}

/** Checks that an object with a `send` method was given as `client`. */
export function requireClient(factory: string, value: unknown, kind: string): void {
  if (typeof value !== "object" || value === null || typeof (value as { send?: unknown }).send !== "function") {
    throw new ValidationError(`${factory}: client must be ${kind} (an object with send()), got ${value === null ? "null" : typeof value}.`);
  }
}

/** Checks that a cursor handed back to `readPage` is an object (cursors are plain JSON objects). */
export function requireCursorObject(factory: string, cursor: unknown): Record<string, unknown> {
  if (typeof cursor !== "object" || cursor === null || Array.isArray(cursor)) {
    throw new ValidationError(`${factory}: readPage got cursor ${JSON.stringify(cursor)}; pass undefined for the first page, else a cursor this source returned.`);
  }
  return cursor as Record<string, unknown>;
}
