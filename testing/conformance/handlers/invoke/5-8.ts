import { withDurableExecution } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.8: the tenant id goes with the invoke (recorded in ChainedInvokeStarted).
export const handler = withDurableExecution(async (event: { tenantId: string; payload: string }, ctx) => {
  await ctx.invoke("tenant-invoke", ECHO, event.payload, { tenantId: event.tenantId });
});

export const options = { durableFunctions: { [ECHO]: echo } };
