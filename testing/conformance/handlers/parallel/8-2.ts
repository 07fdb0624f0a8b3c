import { withDurableExecution } from "@cairn/sdk";

// 8.2: the branches-only form (no operation name); branches return directly.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel([async () => "alpha", async () => "beta"], { maxConcurrency: 1 });
  return result.getResults();
});
