import { withDurableExecution } from "@cairn/sdk";

// 8.4: branches return a string, a number and an object; each keeps its type.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel<string | number | { k: string }>(
    "hetero",
    [async () => "hello", async () => 42, async () => ({ k: "v" })],
    { maxConcurrency: 1 },
  );
  return result.getResults();
});
