import { retryPresets, withDurableExecution } from "@cairn/sdk";

// 1.10: a permanently failing step caught by the handler, then a wait. On replay the step's
// error is re-thrown from the checkpoint without running the body again.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  try {
    await ctx.step(
      async ({ logger }) => {
        logger.info("step executed");
        throw new Error("permanent failure");
      },
      { retryStrategy: retryPresets.noRetry },
    );
  } catch {
    // expected: the step failed permanently
  }
  await ctx.wait({ seconds: 1 });
});
