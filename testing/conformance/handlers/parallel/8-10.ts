import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

const fail = (i: number) => async (): Promise<string> => {
  throw new Error(`branch ${i} failed`);
};

// 8.10: tolerated-failure-count=1; the second failure exceeds it, so branch 2 never starts.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel("tolerated-exceeded", [fail(0), fail(1), async () => "b2"], {
    maxConcurrency: 1,
    completionConfig: { toleratedFailureCount: 1 },
  });
  return projectBatch(result, "completionReason", "successCount", "failureCount", "totalCount");
});
