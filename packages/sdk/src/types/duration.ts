import { ValidationError } from "../errors/validation-error.js";

/** A span of time; at least one unit is given. Waits and retry delays are whole seconds. */
export type Duration =
  | {
      /** Days (86 400 s each). */
      days: number;
      /** Hours added to the days. */
      hours?: number;
      /** Minutes added. */
      minutes?: number;
      /** Seconds added. */
      seconds?: number;
    }
  | {
      /** Hours (3 600 s each). */
      hours: number;
      /** Minutes added to the hours. */
      minutes?: number;
      /** Seconds added. */
      seconds?: number;
    }
  | {
      /** Minutes (60 s each). */
      minutes: number;
      /** Seconds added to the minutes. */
      seconds?: number;
    }
  | {
      /** Seconds. */
      seconds: number;
    };

const UNIT_SECONDS = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 } as const;

/** Total seconds of a duration, without validation (fractions and zero pass through). */
export function durationSeconds(duration: Duration): number {
  const parts = duration as Partial<Record<keyof typeof UNIT_SECONDS, number>>;
  let total = 0;
  for (const unit of Object.keys(UNIT_SECONDS) as (keyof typeof UNIT_SECONDS)[]) {
    const value = parts[unit];
    if (value !== undefined) total += value * UNIT_SECONDS[unit];
  }
  return total;
}

/**
 * Seconds of a duration that must be a positive whole number of seconds (waits, retry delays).
 * `what` names the field in the error, e.g. `wait "cool-down" duration`.
 */
export function wholeSeconds(duration: Duration, what: string, { allowZero = false } = {}): number {
  if (duration === null || typeof duration !== "object") {
    throw new ValidationError(`${what} must be a Duration object such as { seconds: 5 }, got ${describe(duration)}.`);
  }
  const parts = duration as Record<string, unknown>;
  const known = Object.keys(UNIT_SECONDS);
  const given = Object.keys(parts).filter((k) => parts[k] !== undefined);
  const unknown = given.filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ValidationError(`${what} has unknown field(s) ${unknown.join(", ")}; use days, hours, minutes or seconds.`);
  }
  if (given.length === 0) {
    throw new ValidationError(`${what} must give at least one of days, hours, minutes or seconds.`);
  }
  for (const unit of given) {
    const value = parts[unit];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new ValidationError(`${what}: ${unit} must be a non-negative finite number, got ${describe(value)}.`);
    }
  }
  const total = durationSeconds(duration);
  if (!Number.isInteger(total)) {
    throw new ValidationError(`${what} must be a whole number of seconds, got ${total} s; round it to whole seconds.`);
  }
  if (total < (allowZero ? 0 : 1)) {
    throw new ValidationError(`${what} must be at least ${allowZero ? 0 : 1} second, got ${total} s.`);
  }
  return total;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
