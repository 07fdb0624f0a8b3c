import { withDurableExecution } from "@cairn/sdk";

// 1.2: one step with an explicit name.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.step("custom_step_name", async () => `Hello, ${event}!`);
});
