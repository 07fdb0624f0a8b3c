import { withDurableExecution } from "@cairn/sdk";

// 9.7: min-successful=2 completes after two items; items 2 and 3 never start.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map("min-successful", ["i0", "i1", "i2", "i3"], async () => "done", {
    maxConcurrency: 1,
    completionConfig: { minSuccessful: 2 },
  });
  return { completionReason: result.completionReason, successCount: result.successCount, totalCount: result.totalCount };
});
