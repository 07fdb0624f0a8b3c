import { withDurableExecution } from "@cairn/sdk";

// 3.13: a child context holding only a wait, then a step outside the child.
export const handler = withDurableExecution(async (event: string, ctx) => {
  await ctx.runInChildContext(async (child) => {
    await child.wait({ seconds: 1 });
    return event;
  });
  return ctx.step(async () => event);
});
