import { withDurableExecution } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.14: two invokes in sequence, each suspending the execution until its target finished.
const SECOND = "second-function";

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.invoke(ECHO, { n: 1 });
  await ctx.invoke(SECOND, { n: 2 });
});

export const options = { durableFunctions: { [ECHO]: echo, [SECOND]: echo } };
