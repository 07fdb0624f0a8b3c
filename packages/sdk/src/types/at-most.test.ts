import { describe, expect, it } from "vitest";
import { mapAtMost } from "./at-most.js";

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("mapAtMost", () => {
  it("never runs more than the limit at once, starts them in order and runs every one", async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await mapAtMost([5, 1, 3, 2, 4, 1, 2], 2, async (ms) => {
      started.push(ms);
      most = Math.max(most, ++running);
      await tick(ms);
      running--;
    });
    expect(most).toBe(2);
    expect(started).toEqual([5, 1, 3, 2, 4, 1, 2]);
    expect(running).toBe(0);
  });

  it("keeps the limit full: a slow item does not hold back the ones behind it", async () => {
    const done: string[] = [];
    await mapAtMost(["slow", "a", "b", "c"], 2, async (name) => {
      await tick(name === "slow" ? 60 : 5);
      done.push(name);
    });
    expect(done).toEqual(["a", "b", "c", "slow"]);
  });

  it("resolves with the results in the order of the values, whatever order they finish in", async () => {
    expect(await mapAtMost([30, 5, 15, 1], 3, async (ms) => {
      await tick(ms);
      return ms * 2;
    })).toEqual([60, 10, 30, 2]);
  });

  it("resolves at once for no items", async () => {
    let calls = 0;
    await mapAtMost([], 3, async () => {
      calls++;
    });
    expect(calls).toBe(0);
  });

  it("rejects with the first failure and starts nothing after it", async () => {
    const started: number[] = [];
    const failure = new Error("EIO");
    await expect(
      mapAtMost([1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        if (n === 2) throw failure;
      }),
    ).rejects.toBe(failure);
    await tick(5);
    expect(started).toEqual([1, 2]);
  });

  it("takes a synchronous throw as a failure", async () => {
    await expect(
      mapAtMost([1], 1, () => {
        throw new Error("thrown before any promise");
      }),
    ).rejects.toThrow("thrown before any promise");
  });

  it("refuses a limit that would run nothing", () => {
    expect(() => mapAtMost([1], 0, async () => undefined)).toThrow(/limit must be a positive integer, got 0/);
    expect(() => mapAtMost([1], "2" as unknown as number, async () => undefined)).toThrow(/limit must be a positive integer, got "2"/);
  });
});
