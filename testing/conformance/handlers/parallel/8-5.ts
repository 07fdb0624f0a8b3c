import { withDurableExecution } from "@cairn/sdk";

// 8.5: an empty branch list completes at once with no results.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel<string>("empty", []);
  return result.getResults();
});
