import { withDurableExecution } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.2: the invoke is named from the input; the name shows in its history events.
export const handler = withDurableExecution(async (event: { name: string; payload: string }, ctx) => {
  await ctx.invoke(event.name, ECHO, event.payload);
});

export const options = { durableFunctions: { [ECHO]: echo } };
