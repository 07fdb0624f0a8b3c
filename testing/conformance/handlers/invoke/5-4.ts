import { withDurableExecution } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.4: the echo target receives null and returns null, which the handler returns.
export const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.invoke(ECHO, null));

export const options = { durableFunctions: { [ECHO]: echo } };
