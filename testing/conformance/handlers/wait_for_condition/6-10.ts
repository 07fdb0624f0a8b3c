import { withDurableExecution } from "@cairn/sdk";

// 6.10: the check returns null and the strategy stops at once.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.waitForCondition(async (): Promise<null> => null, {
    initialState: null,
    waitStrategy: () => ({ shouldContinue: false }),
  });
});
