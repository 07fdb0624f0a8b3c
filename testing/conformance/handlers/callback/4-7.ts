import { withDurableExecution } from "@cairn/sdk";

// 4.7: callback, then a step, then the callback's result — a failure the handler does not catch.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name);
  await ctx.step(async () => "working");
  return await result;
});
