import { withDurableExecution } from "@cairn/sdk";

// 8.8: min-successful=2 completes after two successes; branches 2 and 3 never start.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel(
    "min-successful",
    [async () => "b0", async () => "b1", async () => "b2", async () => "b3"],
    { maxConcurrency: 1, completionConfig: { minSuccessful: 2 } },
  );
  return { completionReason: result.completionReason, successCount: result.successCount, totalCount: result.totalCount };
});
