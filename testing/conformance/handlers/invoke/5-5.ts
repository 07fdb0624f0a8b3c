import { withDurableExecution } from "@cairn/sdk";
import { FAILING, failing } from "./support/targets.js";

// 5.5: the target throws; the InvokeError is not caught, so the execution fails.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.invoke(FAILING);
});

export const options = { durableFunctions: { [FAILING]: failing } };
