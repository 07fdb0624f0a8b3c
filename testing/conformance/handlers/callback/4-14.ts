import { CallbackTimeoutError, withDurableExecution } from "@cairn/sdk";

// 4.14: a 3 s timeout, caught; a 2 s wait; the handler returns.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name, { timeout: { seconds: 3 } });
  let message = "no timeout";
  try {
    await result;
  } catch (error) {
    if (!(error instanceof CallbackTimeoutError)) throw error;
    message = `callback timed out: ${error.message}`;
  }
  await ctx.wait({ seconds: 2 });
  return message;
});
