import { withDurableExecution } from "@cairn/sdk";

// 8.7: fail-fast; branch 0 fails, branch 1 never starts, and the handler rethrows the failure.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel<string>(
    "throwing",
    [
      async () => {
        throw new Error("branch 0 failed");
      },
      async () => "b1",
    ],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  result.throwIfError();
  return result.getResults();
});
