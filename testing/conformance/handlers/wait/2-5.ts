import { withDurableExecution } from "@cairn/sdk";

// 2.5: a one-hour wait is checkpointed as 3600 seconds.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.wait({ hours: 1 });
});
