import { withDurableExecution } from "@cairn/sdk";

// 9.2: the items-only form (no operation name); each item doubles its number directly.
export const handler = withDurableExecution(async (event: number[], ctx) => {
  const result = await ctx.map(event, async (_ctx, n) => n * 2, { maxConcurrency: 1 });
  return result.getResults();
});
