import { withDurableExecution } from "@cairn/sdk";

// 4.8: callback with a 5 s timeout, then a step, then its result — it times out, uncaught.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name, { timeout: { seconds: 5 } });
  await ctx.step(async () => "working");
  return await result;
});
