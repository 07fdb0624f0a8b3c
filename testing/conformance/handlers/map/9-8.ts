import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

// 9.8: one failure tolerated; item 1 fails, every item runs: ALL_COMPLETED with status FAILED.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map(
    "tolerated",
    ["i0", "i1", "i2"],
    async (_ctx, value, index) => {
      if (index === 1) throw new Error("item 1 failed");
      return value;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  return projectBatch(result, "completionReason", "status", "successCount", "failureCount", "totalCount");
});
