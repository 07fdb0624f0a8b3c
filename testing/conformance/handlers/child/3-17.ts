import { withDurableExecution } from "@cairn/sdk";

// 3.17: a child that only logs (replay logging on) and returns the input, then a wait. The
// replay after the wait must take the child's result from its checkpoint, not re-run it.
export const handler = withDurableExecution(async (event: string, ctx) => {
  const result = await ctx.runInChildContext(async (child) => {
    child.configureLogger({ modeAware: false });
    child.logger.info(`child context input: ${event}`);
    return event;
  });
  await ctx.wait({ seconds: 1 });
  return result;
});
