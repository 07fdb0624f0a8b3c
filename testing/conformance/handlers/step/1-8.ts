import { withDurableExecution } from "@cairn/sdk";

// 1.8: a step then a 2 s wait; the replay after the wait must not re-run the step.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const value = await ctx.step(async () => "computed");
  await ctx.wait({ seconds: 2 });
  return value;
});
