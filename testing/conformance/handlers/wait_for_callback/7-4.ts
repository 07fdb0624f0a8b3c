import { withDurableExecution } from "@cairn/sdk";

// 7.4: the external system reports a failure; the handler does not catch it.
export const handler = withDurableExecution(async (name: string, ctx) =>
  ctx.waitForCallback(name, async () => undefined),
);
