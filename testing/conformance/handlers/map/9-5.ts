import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

// 9.5: fail-fast (tolerated-failure-count=0): item 1 fails, item 2 never starts.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map(
    "failfast",
    ["i0", "i1", "i2"],
    async (_ctx, _value, index) => {
      if (index === 1) throw new Error("item 1 failed");
      return "ok";
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  return projectBatch(result, "completionReason", "status", "successCount", "failureCount", "totalCount");
});
