import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

const fail = (i: number) => async (): Promise<string> => {
  throw new Error(`branch ${i} failed`);
};

// 8.16: every branch fails but tolerated-failure-count=3 covers them: ALL_COMPLETED, FAILED.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel("all-fail", [fail(0), fail(1), fail(2)], {
    maxConcurrency: 1,
    completionConfig: { toleratedFailureCount: 3 },
  });
  return projectBatch(result, "completionReason", "status", "successCount", "failureCount", "totalCount");
});
