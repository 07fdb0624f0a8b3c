import { createRetryStrategy, JitterStrategy, withDurableExecution } from "@cairn/sdk";

// 1.11: fails on the first attempt, succeeds on the second (retry after 1 s).
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.step(
    async ({ attempt }) => {
      if (attempt === 1) throw new Error("transient failure on first attempt");
      return "Operation succeeded";
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) },
  );
});
