import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

// 8.17: min-successful=3 is never reached (one of three fails); all branches run.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel(
    "min-not-reached",
    [
      async () => "b0",
      async (): Promise<string> => {
        throw new Error("branch 1 failed");
      },
      async () => "b2",
    ],
    { maxConcurrency: 1, completionConfig: { minSuccessful: 3 } },
  );
  return projectBatch(result, "completionReason", "status", "successCount", "failureCount", "totalCount");
});
