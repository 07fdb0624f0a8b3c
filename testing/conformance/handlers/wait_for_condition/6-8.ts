import { withDurableExecution } from "@cairn/sdk";

// 6.8: the check throws on its first attempt; the handler catches it and returns a fallback.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  try {
    return await ctx.waitForCondition(
      async (): Promise<number> => {
        throw new Error("check failed");
      },
      { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) },
    );
  } catch {
    return "recovered";
  }
});
