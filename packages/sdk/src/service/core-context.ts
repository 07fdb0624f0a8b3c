import type { IdSource } from "./ids.js";

/** What the pure core needs from the outside world: the time, and a source of fresh ids. */
export interface CoreContext {
  /** The time the decision is made at. */
  now: Date;
  /** Where fresh ids come from. */
  ids: IdSource;
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
