import { withDurableExecution } from "@cairn/sdk";

// 4.5: a 10 s heartbeat timeout; a heartbeat, then the result.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name, { heartbeatTimeout: { seconds: 10 } });
  return await result;
});
