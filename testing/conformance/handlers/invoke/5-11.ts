import { withDurableExecution } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.11: a step, then an invoke with the step's result.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const value = await ctx.step(async () => ({ value: 42 }));
  return ctx.invoke<{ value: number }, { value: number }>(ECHO, value);
});

export const options = { durableFunctions: { [ECHO]: echo } };
