import { withDurableExecution } from "@cairn/sdk";

// 4.19: callbacks A and B created first; B awaited before A.
export const handler = withDurableExecution(async ([nameA, nameB]: [string, string], ctx) => {
  const [resultA] = await ctx.createCallback(nameA);
  const [resultB] = await ctx.createCallback(nameB);
  const b = await resultB;
  const a = await resultA;
  return { a, b };
});
