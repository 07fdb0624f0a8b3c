import { describe, expect, it } from "vitest";
import { EvictedOperationIds, evictedIdsFootprint, patternPositionOf } from "./evicted-operation-ids.js";

describe("patternPositionOf", () => {
  it("reads the largest part (the last of equals) as the position", () => {
    expect(patternPositionOf("3")).toEqual({ pattern: "*", position: 3 });
    expect(patternPositionOf("3-2-1")).toEqual({ pattern: "*-2-1", position: 3 });
    expect(patternPositionOf("1-27-3")).toEqual({ pattern: "1-*-3", position: 27 });
    expect(patternPositionOf("2-2")).toEqual({ pattern: "2-*", position: 2 });
    expect(patternPositionOf("0")).toEqual({ pattern: "*", position: 0 });
    expect(patternPositionOf("1-999999999")).toEqual({ pattern: "1-*", position: 999_999_999 });
  });

  it("leaves ids of other shapes to the hash", () => {
    for (const id of ["", "-", "1-", "-1", "1--2", "01", "1-02", "h0123456789abcdef", "a", "1-b", "1 2", "1-1000000000", "١"]) {
      expect(patternPositionOf(id)).toBeUndefined();
    }
  });

  it("gives every id a pattern and position of its own: the id is the pattern with the position in its place", () => {
    const seen = new Map<string, string>();
    for (let a = 0; a < 30; a++) {
      for (const id of [`${a}`, `${a}-${a}`, ...Array.from({ length: 30 }, (_, b) => `${a}-${b}`), ...Array.from({ length: 12 }, (_, b) => `${b}-${a}-${b}`)]) {
        const at = patternPositionOf(id)!;
        expect(at.pattern.replace("*", String(at.position))).toBe(id);
        const key = `${at.pattern} ${at.position}`;
        expect(seen.get(key) ?? id).toBe(id);
        seen.set(key, id);
      }
    }
  });
});

describe("EvictedOperationIds", () => {
  it("never forgets an id, counts each once, and never claims one of Cairn's ids it was not given", () => {
    const ids = new EvictedOperationIds();
    for (let i = 0; i < 100_000; i++) ids.add(`1-${i}-1`);
    ids.add("1-5-1");
    expect(ids.size).toBe(100_000);
    for (let i = 0; i < 100_000; i++) expect(ids.mayContain(`1-${i}-1`)).toBe(true);
    let claimed = 0;
    for (let i = 0; i < 100_000; i++) if (ids.mayContain(`1-${i}-2`) || ids.mayContain(`2-${i}-1`) || ids.mayContain(`1-${i}`)) claimed++;
    expect(claimed).toBe(0);
    // "1-0-1" and "1-1-1" vary their last part; from "1-2-1" on, the middle one.
    expect(evictedIdsFootprint(ids)).toEqual({ patterns: 3, runs: 3, hashed: 0 });
  });

  it("keeps a map's ids in a few runs, not 8 bytes an id", () => {
    const ids = new EvictedOperationIds();
    // Items 1..N of map "4" and each item's one step, let go of a thousand at a time, out of order within each batch.
    for (let from = 1; from <= 200_000; from += 1_000) {
      for (let i = from + 999; i >= from; i--) {
        ids.add(`4-${i}-1`);
        ids.add(`4-${i}`);
      }
    }
    expect(ids.size).toBe(400_000);
    const footprint = evictedIdsFootprint(ids);
    expect(footprint.hashed).toBe(0);
    expect(footprint.runs).toBeLessThanOrEqual(16);
    for (const id of ["4-1", "4-200000", "4-77777-1", "4-4", "4-1-1", "4-4-1"]) expect(ids.mayContain(id)).toBe(true);
    for (const id of ["4-0", "4-200001", "4-77777-2", "5-1", "4", "1-4", "4-200001-1"]) expect(ids.mayContain(id)).toBe(false);
  });

  it("keeps ids of other shapes, and scattered positions past the run limits, by hash without losing any", () => {
    const ids = new EvictedOperationIds();
    const added: string[] = [];
    for (let i = 0; i < 20_000; i++) added.push(`h${i.toString(16).padStart(32, "0")}`); // hashed ids
    for (let i = 0; i < 20_000; i++) added.push(`7-${2 * i}`); // every other position: a run each
    for (let i = 0; i < 6_000; i++) added.push(`${i}-3-5`, `5-${i}-9-${i}`); // patterns of their own
    for (const id of added) ids.add(id);
    for (const id of added) ids.add(id);
    expect(ids.size).toBe(added.length);
    for (const id of added) expect(ids.mayContain(id)).toBe(true);
    let claimed = 0;
    for (let i = 0; i < 20_000; i++) if (ids.mayContain(`7-${2 * i + 1}`) || ids.mayContain(`h${i.toString(16).padStart(32, "1")}`)) claimed++;
    expect(claimed).toBe(0);
    const footprint = evictedIdsFootprint(ids);
    expect(footprint.patterns).toBeLessThanOrEqual(4096);
    expect(footprint.runs).toBeLessThanOrEqual(64 * 1024);
    expect(footprint.hashed).toBeGreaterThan(20_000);
  });
});
