import type { Clock } from "./service-api.js";

/** Wall-clock time. Tests and time-skipping runners pass their own Clock instead. */
export const systemClock: Clock = { now: () => new Date() };
