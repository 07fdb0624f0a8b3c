import { createRetryStrategy, JitterStrategy, withDurableExecution } from "@cairn/sdk";

// 3.8: a step inside a child context always fails; after 2 attempts the child fails.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.runInChildContext(async (child) =>
    child.step(
      async ({ attempt }): Promise<string> => {
        throw new Error(`attempt ${attempt} failed`);
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) },
    ),
  );
});
