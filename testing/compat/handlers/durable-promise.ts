// DurablePromise made by the handler from an executor: wrapping running operations for a
// combinator, starting one lazily, one never awaited (its executor never runs), and an executor
// that throws.
import { DurablePromise, withDurableExecution } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const first = ctx.step("first", async () => "result 1");
  const second = ctx.step("second", async () => "result 2");
  const all = await ctx.promise.all("wrapped", [new DurablePromise(() => first), new DurablePromise(() => second)]);

  const lazy = new DurablePromise(() => ctx.step("lazy", async () => "lazy result"));
  const neverAwaited = new DurablePromise(() => ctx.step("never", async () => "never"));
  const before = { lazy: lazy.isExecuted, neverAwaited: neverAwaited.isExecuted };
  await ctx.wait("pause", { seconds: 5 });
  const lazyValue = await lazy;

  let thrown: unknown;
  try {
    await new DurablePromise<string>(() => {
      throw new RangeError("executor failed");
    });
  } catch (error) {
    thrown = describeError(error);
  }
  return {
    all,
    before,
    lazyValue,
    after: { lazy: lazy.isExecuted, neverAwaited: neverAwaited.isExecuted },
    thrown,
    tag: Object.prototype.toString.call(lazy),
  };
});
