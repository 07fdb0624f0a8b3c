import { withDurableExecution } from "@cairn/sdk";
import { projectBatch } from "../support/batch-projection.js";

const fail = (i: number) => async (): Promise<string> => {
  throw new Error(`branch ${i} failed`);
};

// 8.13: tolerated-failure-percentage=25 of 4 branches; the second failure (50%) stops the batch.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel("tolerated-pct", [fail(0), fail(1), async () => "b2", async () => "b3"], {
    maxConcurrency: 1,
    completionConfig: { toleratedFailurePercentage: 25 },
  });
  return projectBatch(result, "completionReason", "successCount", "failureCount", "totalCount");
});
