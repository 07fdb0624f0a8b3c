import { withDurableExecution } from "@cairn/sdk";

// 9.17: a successful map then a 1 s wait; the replay takes the map from its checkpoint.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map("then-wait", ["a", "b"], async (_ctx, value) => value.toUpperCase(), {
    maxConcurrency: 1,
  });
  await ctx.wait({ seconds: 1 });
  return result.getResults();
});
