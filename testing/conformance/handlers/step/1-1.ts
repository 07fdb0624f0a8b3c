import { withDurableExecution } from "@cairn/sdk";

// 1.1: one unnamed step that greets the input.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.step(async () => `Hello, ${event}!`);
});
