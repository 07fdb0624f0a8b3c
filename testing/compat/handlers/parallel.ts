// parallel: named and function branches, tolerated failures and minSuccessful.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { summarize } from "./batch-summary.js";

const fail = (ctx: DurableContext, message: string) =>
  ctx.step(
    "fails",
    async (): Promise<string> => {
      throw new Error(message);
    },
    { retryStrategy: () => ({ shouldRetry: false }) },
  );

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const mixed = await ctx.parallel(
    "mixed",
    [
      { name: "alpha", func: async (c: DurableContext) => c.step("a", async () => "A") },
      async (c: DurableContext) => c.step("b", async () => "B"),
      { name: "gamma", func: async (c: DurableContext) => fail(c, "gamma failed") },
    ],
    { completionConfig: { toleratedFailureCount: 1 } },
  );
  const first = await ctx.parallel(
    "first",
    [
      async (c: DurableContext) => c.step("one", async () => 1),
      async (c: DurableContext) => c.step("two", async () => 2),
      async (c: DurableContext) => c.step("three", async () => 3),
    ],
    { maxConcurrency: 1, completionConfig: { minSuccessful: 1 } },
  );
  const unnamed = await ctx.parallel([async () => "x", async () => "y"]);
  return { mixed: summarize(mixed), first: summarize(first), unnamed: unnamed.getResults() };
});
