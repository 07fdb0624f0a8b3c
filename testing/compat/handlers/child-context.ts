// runInChildContext: named and unnamed, steps inside, and a failing child caught as an error.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

export const handler = withDurableExecution(async (event: { values: number[] }, ctx) => {
  const sum = await ctx.runInChildContext("sum", async (child) => {
    let total = 0;
    for (const value of event.values) total += await child.step(`add-${value}`, async () => value);
    return total;
  });
  const doubled = await ctx.runInChildContext(async (child) => child.step("double", async () => sum * 2));
  let failure: unknown;
  try {
    await ctx.runInChildContext("failing-child", async (child) => {
      await child.step(
        "inner-fails",
        async () => {
          throw new Error("inner boom");
        },
        { retryStrategy: () => ({ shouldRetry: false }) },
      );
      return "unreachable";
    });
  } catch (error) {
    failure = describeError(error);
  }
  return { sum, doubled, failure };
});
