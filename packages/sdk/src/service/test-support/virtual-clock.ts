import type { Clock } from "../service-api.js";

/** A clock tests move by hand. */
export class VirtualClock implements Clock {
  private ms: number;
  constructor(start = Date.parse("2025-01-01T00:00:00.000Z")) {
    this.ms = start;
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
