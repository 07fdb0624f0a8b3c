import { withDurableExecution } from "@cairn/sdk";

// 4.4: a 5 s heartbeat timeout and no heartbeat: CallbackTimeoutError fails the execution.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback(name, { heartbeatTimeout: { seconds: 5 } });
  return await result;
});
