import { CallbackTimeoutError, withDurableExecution } from "@cairn/sdk";

// 7.14: a 3 s timeout, caught: the handler returns "timed-out-handled".
export const handler = withDurableExecution(async (name: string, ctx) => {
  try {
    return await ctx.waitForCallback(name, async () => undefined, { timeout: { seconds: 3 } });
  } catch (error) {
    if (error instanceof CallbackTimeoutError) return "timed-out-handled";
    throw error;
  }
});
