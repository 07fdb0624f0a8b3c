import { withDurableExecution } from "@cairn/sdk";

// 6.4: a non-zero initial state (5) threads through the checks until the threshold (8).
export const handler = withDurableExecution(async (threshold: number, ctx) => {
  return ctx.waitForCondition(async (state: number) => state + 1, {
    initialState: 5,
    waitStrategy: (state) => (state < threshold ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
});
