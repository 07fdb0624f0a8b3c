import { CallbackError, withDurableExecution } from "@cairn/sdk";

// 4.13: the callback's failure is caught; a 2 s wait; the handler returns the message.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name);
  let message = "no error";
  try {
    await result;
  } catch (error) {
    if (!(error instanceof CallbackError)) throw error;
    message = `callback failed: ${error.message}`;
  }
  await ctx.wait({ seconds: 2 });
  return message;
});
