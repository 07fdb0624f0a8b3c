import { withDurableExecution } from "@cairn/sdk";

// 4.2: a callback named "approval".
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const [result] = await ctx.createCallback("approval");
  return await result;
});
