import { retryPresets, withDurableExecution } from "@cairn/sdk";

// 1.20: a failing step caught by the handler, which continues with a fallback in a second step.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  let value: string;
  try {
    value = await ctx.step(
      async (): Promise<string> => {
        throw new Error("step failed");
      },
      { retryStrategy: retryPresets.noRetry },
    );
  } catch {
    value = "fallback_result";
  }
  return ctx.step(async () => value);
});
