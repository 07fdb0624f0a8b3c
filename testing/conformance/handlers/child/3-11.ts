import { withDurableExecution } from "@cairn/sdk";

const LARGE_BYTES = 300 * 1024;

// 3.11: the child's result (> 256 KB) is too large to checkpoint, so the child is re-run on
// replay to rebuild it. The child logs its input with replay logging on, so both runs show.
export const handler = withDurableExecution(async (event: string, ctx) => {
  const large = await ctx.runInChildContext(async (child) => {
    child.configureLogger({ modeAware: false });
    child.logger.info(`child context input: ${event}`);
    const small = await child.step(async () => event);
    return { input: small, padding: small.repeat(Math.ceil(LARGE_BYTES / Math.max(1, small.length))) };
  });
  await ctx.wait({ seconds: 1 });
  if (large.input !== event || large.padding.length < LARGE_BYTES) {
    throw new Error("large child result was not reconstructed");
  }
});
