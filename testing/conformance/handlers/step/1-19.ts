import { retryPresets, withDurableExecution } from "@cairn/sdk";

// 1.19: a step that always throws, with no retries: the execution fails.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.step(
    async () => {
      throw new Error("step always fails");
    },
    { retryStrategy: retryPresets.none },
  );
});
