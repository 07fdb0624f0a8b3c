import { withDurableExecution } from "@cairn/sdk";

// 4.1: a callback named by the input; the handler returns its (raw) result.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name);
  return await result;
});
