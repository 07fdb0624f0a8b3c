import { withDurableExecution } from "@cairn/sdk";

// 6.13: two polls in sequence; the first one's result (2) seeds the second, which stops at 4.
const untilAtLeast = (limit: number) => (state: number) =>
  state < limit ? { shouldContinue: true as const, delay: { seconds: 1 } } : { shouldContinue: false as const };

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const first = await ctx.waitForCondition(async (state: number) => state + 1, { initialState: 0, waitStrategy: untilAtLeast(2) });
  return ctx.waitForCondition(async (state: number) => state + 1, { initialState: first, waitStrategy: untilAtLeast(4) });
});
