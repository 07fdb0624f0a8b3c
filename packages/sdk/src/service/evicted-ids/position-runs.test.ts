import { describe, expect, it } from "vitest";
import { PositionRuns } from "./position-runs.js";

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The maximal runs of consecutive numbers in `set`. */
function runsOf(set: Set<number>): number {
  let runs = 0;
  for (const n of set) if (!set.has(n - 1)) runs++;
  return runs;
}

describe("PositionRuns", () => {
  it("holds exactly the numbers added, as maximal runs, whatever the order", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const runs = new PositionRuns();
      const reference = new Set<number>();
      for (let i = 0; i < 3_000; i++) {
        const n = Math.floor(next() * 1_000);
        expect(runs.add(n, true)).toBe(reference.has(n) ? "present" : "added");
        reference.add(n);
        if (i % 97 === 0) expect(runs.runs).toBe(runsOf(reference));
      }
      for (let n = -2; n < 1_003; n++) expect(runs.has(n)).toBe(reference.has(n));
      expect(runs.runs).toBe(runsOf(reference));
    }
  });

  it("joins the runs on both sides of a gap it fills", () => {
    const runs = new PositionRuns();
    for (const n of [1, 2, 4, 5]) runs.add(n, true);
    expect(runs.runs).toBe(2);
    expect(runs.has(3)).toBe(false);
    expect(runs.add(3, false)).toBe("added");
    expect(runs.runs).toBe(1);
    for (const n of [0, 6]) expect(runs.has(n)).toBe(false);
    for (const n of [1, 2, 3, 4, 5]) expect(runs.has(n)).toBe(true);
  });

  it("starts no run when told not to, and changes nothing then", () => {
    const runs = new PositionRuns();
    runs.add(10, true);
    expect(runs.add(12, false)).toBe("full");
    expect(runs.has(12)).toBe(false);
    expect(runs.runs).toBe(1);
    expect(runs.add(11, false)).toBe("added");
    expect(runs.add(9, false)).toBe("added");
    expect(runs.add(10, false)).toBe("present");
    expect(runs.runs).toBe(1);
  });

  it("keeps a map's settling order (in order, a window of items at once) in a handful of runs", () => {
    const next = random(7);
    const runs = new PositionRuns();
    const window: number[] = [];
    let started = 0;
    let peak = 0;
    while (started < 100_000 || window.length > 0) {
      while (window.length < 50 && started < 100_000) window.push(++started);
      const [settled] = window.splice(Math.floor(next() * window.length), 1);
      runs.add(settled!, true);
      peak = Math.max(peak, runs.runs);
    }
    expect(runs.runs).toBe(1);
    expect(peak).toBeLessThanOrEqual(50);
  });
});
