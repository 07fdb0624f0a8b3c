import { withDurableExecution } from "@cairn/sdk";

// 6.1: poll an incrementing counter (from 0) until it reaches the input threshold.
export const handler = withDurableExecution(async (threshold: number, ctx) => {
  return ctx.waitForCondition(async (state: number) => state + 1, {
    initialState: 0,
    waitStrategy: (state) => (state < threshold ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
});
