import { createRetryStrategy, JitterStrategy, withDurableExecution } from "@cairn/sdk";

// 3.7: a step inside a child context fails once, is retried after 1 s and succeeds.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.runInChildContext(async (child) =>
    child.step(
      async ({ attempt }) => {
        if (attempt === 1) throw new Error("first attempt fails");
        return event;
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) },
    ),
  );
});
