import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

// 8.22: one failure of four is exactly the tolerated 25%, which does not exceed it: all run.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel(
    "pct-boundary",
    [
      async (): Promise<string> => {
        throw new Error("branch 0 failed");
      },
      async () => "b1",
      async () => "b2",
      async () => "b3",
    ],
    { maxConcurrency: 1, completionConfig: { toleratedFailurePercentage: 25 } },
  );
  return projectBatch(result, "completionReason", "status", "successCount", "failureCount", "totalCount");
});
