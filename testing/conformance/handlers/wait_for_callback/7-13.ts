import { withDurableExecution } from "@cairn/sdk";

// 7.13: a 10 s heartbeat timeout; a heartbeat, then the result.
export const handler = withDurableExecution(async (name: string, ctx) =>
  ctx.waitForCallback(name, async () => undefined, { heartbeatTimeout: { seconds: 10 } }),
);
