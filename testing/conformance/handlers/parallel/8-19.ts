import { withDurableExecution } from "@cairn/sdk";

// 8.19: max-concurrency 0 is invalid; the SDK rejects it before starting anything.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel("bad-concurrency", [async () => "b0", async () => "b1"], { maxConcurrency: 0 });
  return result.getResults();
});
