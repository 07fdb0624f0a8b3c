import { JitterStrategy, createWaitStrategy, withDurableExecution } from "@cairn/sdk";

// 6.5: a fixed 2 s delay between checks (no backoff, no jitter).
export const handler = withDurableExecution(async (threshold: number, ctx) => {
  return ctx.waitForCondition(async (state: number) => state + 1, {
    initialState: 0,
    waitStrategy: createWaitStrategy<number>({
      shouldContinuePolling: (state) => state < threshold,
      initialDelay: { seconds: 2 },
      backoffRate: 1,
      jitter: JitterStrategy.NONE,
    }),
  });
});
