import { withDurableExecution } from "@cairn/sdk";

// 9.1: one step per item, one item at a time; results in item order.
export const handler = withDurableExecution(async (event: string[], ctx) => {
  const result = await ctx.map("map", event, async (itemCtx, name) => itemCtx.step(async () => `Hello, ${name}!`), {
    maxConcurrency: 1,
  });
  return result.getResults();
});
