import { withDurableExecution } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.1: invoke an echo target with the event and return what it returns. The input is a string,
// so the named form is used: a string second argument means (name, functionId, input).
export const handler = withDurableExecution(async (event: string, ctx) => ctx.invoke("echo", ECHO, event));

export const options = { durableFunctions: { [ECHO]: echo } };
