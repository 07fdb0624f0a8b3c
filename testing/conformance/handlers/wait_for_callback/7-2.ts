import { withDurableExecution } from "@cairn/sdk";

// 7.2: a waitForCallback named "approval".
export const handler = withDurableExecution(async (_event: unknown, ctx) =>
  ctx.waitForCallback("approval", async () => undefined),
);
