import { withDurableExecution } from "@cairn/sdk";

// 2.2: a named 2 s wait.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.wait("custom_wait_name", { seconds: 2 });
});
