import { withDurableExecution } from "@cairn/sdk";

// 4.11: callback with a 3 s timeout, a 6 s wait, then its result: it timed out during the wait.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name, { timeout: { seconds: 3 } });
  await ctx.wait({ seconds: 6 });
  return await result;
});
