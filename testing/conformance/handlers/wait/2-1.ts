import { withDurableExecution } from "@cairn/sdk";

// 2.1: a single 2 s wait.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.wait({ seconds: 2 });
});
