import { withDurableExecution } from "@cairn/sdk";

// 9.13: a custom item namer names each iteration "item-<item>".
export const handler = withDurableExecution(async (event: number[], ctx) => {
  const result = await ctx.map("named-items", event, async (_ctx, n) => n * 10, {
    maxConcurrency: 1,
    itemNamer: (n) => `item-${n}`,
  });
  return result.getResults();
});
