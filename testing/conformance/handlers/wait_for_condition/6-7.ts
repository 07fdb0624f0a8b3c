import { withDurableExecution } from "@cairn/sdk";

// 6.7: the check throws on its first attempt and the handler does not catch it.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.waitForCondition(
    async (): Promise<number> => {
      throw new Error("check failed");
    },
    { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) },
  );
});
