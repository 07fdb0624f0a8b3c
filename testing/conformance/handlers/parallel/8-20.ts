import { withDurableExecution } from "@cairn/sdk";

// 8.20: success, failure, success with one failure tolerated; the projection uses the accessors.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel(
    "accessors",
    [
      async () => "b0",
      async (): Promise<string> => {
        throw new Error("branch 1 failed");
      },
      async () => "b2",
    ],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  return {
    hasFailure: result.hasFailure,
    successCount: result.succeeded().length,
    failureCount: result.failed().length,
    errorCount: result.getErrors().length,
  };
});
