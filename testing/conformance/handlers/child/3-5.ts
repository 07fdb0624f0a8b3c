import { retryPresets, withDurableExecution } from "@cairn/sdk";

// 3.5: a failing child context caught by the handler, followed by a recovery step.
export const handler = withDurableExecution(async (event: string, ctx) => {
  try {
    await ctx.runInChildContext(async (child) =>
      child.step(
        async (): Promise<string> => {
          throw new Error("inner step failed");
        },
        { retryStrategy: retryPresets.noRetry },
      ),
    );
  } catch {
    // expected: recover below
  }
  return ctx.step(async () => event);
});
