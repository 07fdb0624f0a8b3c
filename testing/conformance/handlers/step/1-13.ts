import { withDurableExecution } from "@cairn/sdk";

// 1.13: no retry config, so the default strategy (6 attempts, 5 s doubling, full jitter) applies.
// Fails twice, succeeds on the third attempt.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.step(async ({ attempt }) => {
    if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
    return `succeeded on attempt ${attempt}`;
  });
});
