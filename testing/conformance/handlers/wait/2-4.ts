import { withDurableExecution } from "@cairn/sdk";

// 2.4: a wait given in minutes is checkpointed as 60 seconds.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.wait({ minutes: 1 });
});
