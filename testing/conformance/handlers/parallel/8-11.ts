import { withDurableExecution } from "@cairn/sdk";

// 8.11: two branches at a time; results come back in branch order whatever the finishing order.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel("concurrent", [async () => "r0", async () => "r1", async () => "r2"], {
    maxConcurrency: 2,
  });
  return result.getResults();
});
