// ctx.promise.all / allSettled / any / race over durable promises, and a rejected all.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

const failing = (ctx: DurableContext, name: string) =>
  ctx.step(
    name,
    async (): Promise<string> => {
      throw new Error(`${name} failed`);
    },
    { retryStrategy: () => ({ shouldRetry: false }) },
  );

const slow = (ctx: DurableContext, name: string) =>
  ctx.runInChildContext(name, async (child) => {
    await child.wait({ seconds: 10 });
    return `${name} done`;
  });

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const all = await ctx.promise.all("all", [ctx.step("a", async () => "a"), ctx.step("b", async () => "b")]);
  const settled = await ctx.promise.allSettled("settled", [ctx.step("fine", async () => "fine"), failing(ctx, "broken")]);
  const any = await ctx.promise.any("any", [failing(ctx, "any-broken"), ctx.step("any-ok", async () => "any-ok")]);
  const race = await ctx.promise.race([slow(ctx, "tortoise"), ctx.step("hare", async () => "hare")]);
  let rejected: unknown;
  try {
    await ctx.promise.all("all-rejects", [ctx.step("c", async () => "c"), failing(ctx, "d")]);
  } catch (error) {
    rejected = describeError(error);
  }
  return {
    all,
    settled: settled.map((s) => (s.status === "fulfilled" ? s.value : `rejected: ${(s.reason as Error).message}`)),
    settledJson: JSON.parse(JSON.stringify(settled)) as unknown,
    any,
    race,
    rejected,
  };
});
