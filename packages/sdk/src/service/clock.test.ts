import { describe, expect, it } from "vitest";
import { VirtualClock, systemClock, toOrchestratorClock } from "./clock.js";

describe("VirtualClock", () => {
  it("moves only forward, only when told", async () => {
    const clock = new VirtualClock(new Date("2030-01-01T00:00:00Z"));
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe("2030-01-01T00:00:01.500Z");
    clock.set(new Date("2030-01-02T00:00:00Z"));
    expect(() => clock.set(new Date("2030-01-01T00:00:00Z"))).toThrow(/only moves forward/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    await clock.sleepUntil(new Date("2030-01-03T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2030-01-03T00:00:00.000Z");
    // Sleeping until a past time is a no-op, not a jump back.
    await clock.sleepUntil(new Date("2030-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2030-01-03T00:00:00.000Z");
  });

  it("refuses an invalid start date, so virtual time never becomes NaN", () => {
    expect(() => new VirtualClock(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => new VirtualClock(new Date("not a date"))).toThrow(/VirtualClock: invalid start date \(got Invalid Date\)/);
  });

  it("honours an aborted signal", async () => {
    const clock = new VirtualClock();
    await expect(clock.sleepUntil(new Date(Date.now() + 1000), AbortSignal.abort())).rejects.toThrow();
  });
});

describe("real-time clocks", () => {
  it("stop sleeping when the signal aborts", async () => {
    const controller = new AbortController();
    const far = new Date(Date.now() + 3_600_000);
    const sleeping = systemClock.sleepUntil(far, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toThrow();
  });

  it("turn a plain service clock into one that sleeps in real time", async () => {
    const plain = { now: () => new Date() };
    const clock = toOrchestratorClock(plain);
    await clock.sleepUntil(new Date(Date.now() - 10));
    const controller = new AbortController();
    const sleeping = clock.sleepUntil(new Date(Date.now() + 3_600_000), controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toThrow();
    const virtual = new VirtualClock();
    expect(toOrchestratorClock(virtual)).toBe(virtual);
  });
});
