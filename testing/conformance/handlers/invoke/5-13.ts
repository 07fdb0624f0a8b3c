import { withDurableExecution } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.13: an invoke inside a child context; the child context returns the invoke's result.
export const handler = withDurableExecution(async (_event: unknown, ctx) =>
  ctx.runInChildContext(async (child) => child.invoke(ECHO, { from: "child" })),
);

export const options = { durableFunctions: { [ECHO]: echo } };
