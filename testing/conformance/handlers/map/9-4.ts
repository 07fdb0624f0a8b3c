import { withDurableExecution } from "@cairn/sdk";

// 9.4: an empty item list completes at once with no results.
export const handler = withDurableExecution(async (event: string[], ctx) => {
  const result = await ctx.map("empty", event, async (_ctx, value) => value);
  return result.getResults();
});
