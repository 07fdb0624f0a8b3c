import { withDurableExecution } from "@cairn/sdk";

// 4.17: callback A, wait for it; then callback B, wait for it.
export const handler = withDurableExecution(async ([nameA, nameB]: [string, string], ctx) => {
  const [resultA] = await ctx.createCallback(nameA);
  const a = await resultA;
  const [resultB] = await ctx.createCallback(nameB);
  const b = await resultB;
  return { a, b };
});
