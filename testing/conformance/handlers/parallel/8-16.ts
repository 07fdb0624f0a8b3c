import { withDurableExecution } from "@cairn/sdk";

const fail = (i: number) => async (): Promise<string> => {
  throw new Error(`branch ${i} failed`);
};

// 8.16: every branch fails but tolerated-failure-count=3 covers them: ALL_COMPLETED, FAILED.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel("all-fail", [fail(0), fail(1), fail(2)], {
    maxConcurrency: 1,
    completionConfig: { toleratedFailureCount: 3 },
  });
  return {
    completionReason: result.completionReason,
    status: result.status,
    successCount: result.successCount,
    failureCount: result.failureCount,
    totalCount: result.totalCount,
  };
});
