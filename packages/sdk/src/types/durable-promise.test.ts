import { describe, expect, it } from "vitest";
import { runLocal } from "../test-support/run-local.js";
import type { DurableContext } from "./context.js";
import { DurablePromise } from "./durable-promise.js";

describe("DurablePromise made from an executor", () => {
  it("runs the executor once, the first time it is awaited or chained", async () => {
    let runs = 0;
    const promise = new DurablePromise(async () => ++runs);
    await Promise.resolve();
    expect(runs).toBe(0);
    expect(promise.isExecuted).toBe(false);
    expect(await promise).toBe(1);
    expect(promise.isExecuted).toBe(true);
    expect(await promise.then((n) => n * 10)).toBe(10);
    await promise.finally(() => undefined);
    expect(runs).toBe(1);
  });

  it("starts on catch and finally too", async () => {
    const failing = new DurablePromise<number>(() => Promise.reject(new Error("no")));
    expect(await failing.catch((error: unknown) => (error as Error).message)).toBe("no");
    let ran = false;
    const lazy = new DurablePromise(async () => {
      ran = true;
    });
    await lazy.finally(() => undefined);
    expect(ran).toBe(true);
  });

  it("rejects, rather than throws from then, when the executor throws", async () => {
    const promise = new DurablePromise<number>(() => {
      throw new RangeError("sync");
    });
    await expect(promise).rejects.toThrow(RangeError);
  });

  it("takes a thenable or a promise as already started, and a rejection nobody awaits raises nothing", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const started = new DurablePromise(Promise.resolve(3));
      expect(started.isExecuted).toBe(false);
      expect(await started).toBe(3);
      expect(started.isExecuted).toBe(true);
      const thenable = new DurablePromise<number>({ then: ((resolve: (value: number) => void) => resolve(4)) as PromiseLike<number>["then"] });
      expect(await thenable).toBe(4);
      new DurablePromise(Promise.reject(new Error("recorded, never awaited")));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  it("refuses anything else with a message that says what to pass", () => {
    expect(() => new DurablePromise(42 as never)).toThrow(/pass a function that returns a promise.*got number/);
    expect(() => new DurablePromise(null as never)).toThrow(/got null/);
  });

  it("works in a handler: operations wrapped lazily, awaited through ctx.promise.all or directly", async () => {
    const run = await runLocal(async (_event: unknown, ctx: DurableContext) => {
      const first = ctx.step("first", async () => "result 1");
      const second = ctx.step("second", async () => "result 2");
      const all = await ctx.promise.all([new DurablePromise(() => first), new DurablePromise(() => second)]);
      const lazyThird = new DurablePromise(() => ctx.step("third", async () => "result 3"));
      const before = lazyThird.isExecuted;
      const third = await lazyThird;
      return { all, third, before, after: lazyThird.isExecuted };
    });
    expect(run.execution.error).toBeUndefined();
    expect(run.result).toEqual({ all: ["result 1", "result 2"], third: "result 3", before: false, after: true });
    expect(run.operations.filter((op) => op.Type === "STEP").map((op) => op.Name)).toEqual(["first", "second", "third"]);
  });
});
