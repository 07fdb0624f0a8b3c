import { withDurableExecution } from "@cairn/sdk";

// 4.10: callback, a 5 s wait, then its result; the failure arrives during the wait.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name);
  await ctx.wait({ seconds: 5 });
  return await result;
});
