import { withDurableExecution } from "@cairn/sdk";

// 6.2: the condition (state >= 5) already holds on the first check: no suspension.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.waitForCondition(async (state: number) => state, {
    initialState: 5,
    waitStrategy: (state) => (state >= 5 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
});
