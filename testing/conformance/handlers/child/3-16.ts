import { withDurableExecution } from "@cairn/sdk";

// 3.16: a child context that returns null without any durable operation.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.runInChildContext(async () => null);
});
