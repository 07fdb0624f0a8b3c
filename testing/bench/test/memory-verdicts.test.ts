// The memory section's verdicts: every step from one N to the next is judged on its own, in order
// of N, and a failed run drops out of the steps instead of being read as zero.
import { expect, it } from "vitest";
// @ts-expect-error: the bench's modules are plain JavaScript without declarations
import { boundedVerdicts, liveVerdicts } from "../src/stores/map-memory.mjs";

const MB = 1e6;

/** A run of `items` whose peak is `rssMb` above its baseline and whose result's JSON is `jsonMb`. */
const rssRun = (items: number, rssMb: number, jsonMb: number, variant = "map") => ({
  variant,
  items,
  baselinePeak: 60 * MB,
  peakRss: (60 + rssMb) * MB,
  resultJsonBytes: jsonMb * MB,
});

it("judges each step of peak RSS against 3× the result's JSON growth, smallest N first", () => {
  // Given out of order, with another variant and a failed run among them.
  const results = [
    rssRun(300_000, 100, 16),
    rssRun(10_000, 40, 0.5),
    { variant: "map", items: 30_000, error: "timeout" },
    rssRun(100_000, 80, 5.25),
    rssRun(100_000, 1, 5.25, "chunked"),
  ];
  const verdicts = boundedVerdicts(results, "map");
  expect(verdicts.map((v: { from: number; to: number }) => [v.from, v.to])).toEqual([
    [10_000, 100_000],
    [100_000, 300_000],
  ]);
  // +40 MB for +4.75 MB of JSON: 8.4×, over the line; +20 MB for +10.75 MB: 1.9×, within it.
  expect(verdicts.map((v: { met: boolean }) => v.met)).toEqual([false, true]);
  expect(verdicts[1].rssGrowth).toBeCloseTo(20 * MB);
  expect(boundedVerdicts(results, "chunked")).toEqual([]);
});

it("judges each step of live memory beyond the result against half the result's growth", () => {
  const liveRun = (items: number, beyondMb: number, resultMb: number) => ({
    variant: "map",
    items,
    baselineHeap: 10 * MB,
    heapWithoutResult: 11 * MB,
    heapWithResult: (11 + resultMb) * MB,
    peakLiveHeap: (10 + beyondMb + resultMb) * MB,
  });
  const verdicts = liveVerdicts([liveRun(1_000, 1, 0.1), liveRun(10_000, 1.5, 0.6), liveRun(100_000, 2, 5.8)], "map");
  // +0.5 MB beyond for +0.5 MB of result: over half of it; +0.5 MB for +5.2 MB: within.
  expect(verdicts.map((v: { met: boolean; from: number }) => [v.from, v.met])).toEqual([
    [1_000, false],
    [10_000, true],
  ]);
});
