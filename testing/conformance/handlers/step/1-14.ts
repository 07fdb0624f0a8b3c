import { createRetryStrategy, JitterStrategy, withDurableExecution } from "@cairn/sdk";

// 1.14: fails twice then succeeds, retrying after 2 s then 6 s (2 s x 3), no jitter. The
// attempt count comes from the step context (the vector's prose keeps it in a table).
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.step(
    async ({ attempt }) => {
      if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
      return `succeeded on attempt ${attempt}`;
    },
    {
      retryStrategy: createRetryStrategy({
        maxAttempts: 5,
        initialDelay: { seconds: 2 },
        backoffRate: 3,
        jitter: JitterStrategy.NONE,
      }),
    },
  );
});
