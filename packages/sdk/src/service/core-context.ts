import type { IdSource } from "./ids.js";

/** What the pure core needs from the outside world: the time, and a source of fresh ids. */
export interface CoreContext {
  now: Date;
  ids: IdSource;
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
