import { withDurableExecution } from "@cairn/sdk";

// 3.1: an unnamed child context with one step returning the input.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.runInChildContext(async (child) => child.step(async () => event));
});
