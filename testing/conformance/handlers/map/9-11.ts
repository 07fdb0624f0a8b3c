import { withDurableExecution } from "@cairn/sdk";

// 9.11: two items at a time; results come back in item order whatever the finishing order.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map("concurrent", ["i0", "i1", "i2"], async (_ctx, _value, index) => `r${index}`, {
    maxConcurrency: 2,
  });
  return result.getResults();
});
