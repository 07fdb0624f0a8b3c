import { withDurableExecution } from "@cairn/sdk";

// 3.10: a child context with a step then a wait; it returns the input.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.runInChildContext(async (child) => {
    await child.step(async () => event);
    await child.wait({ seconds: 1 });
    return event;
  });
});
