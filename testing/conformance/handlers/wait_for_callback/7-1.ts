import { withDurableExecution } from "@cairn/sdk";

// 7.1: one waitForCallback named by the input; the submitter does nothing durable.
export const handler = withDurableExecution(async (name: string, ctx) =>
  ctx.waitForCallback(name, async () => undefined),
);
