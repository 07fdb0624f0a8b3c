import { withDurableExecution } from "@cairn/sdk";

// 7.10: a 1 s wait, a top-level step, then a waitForCallback.
export const handler = withDurableExecution(async (name: string, ctx) => {
  await ctx.wait({ seconds: 1 });
  await ctx.step(async () => ({ fixed: "data" }));
  return ctx.waitForCallback(name, async () => undefined);
});
