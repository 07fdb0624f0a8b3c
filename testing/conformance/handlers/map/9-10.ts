import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

// 9.10: tolerated-failure-percentage=25 of 4 items; items 0 and 1 fail and the second failure
// (50%) stops the map before items 2 and 3.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map(
    "tolerated-pct",
    ["i0", "i1", "i2", "i3"],
    async (_ctx, value, index) => {
      if (index < 2) throw new Error(`item ${index} failed`);
      return value;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailurePercentage: 25 } },
  );
  return projectBatch(result, "completionReason", "successCount", "failureCount", "totalCount");
});
