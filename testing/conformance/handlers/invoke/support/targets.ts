import { withDurableExecution } from "@cairn/sdk";

// Target functions the invoke requirements call, registered by function id through each handler
// module's options (the runner's registerDurableFunction).

export const ECHO = "echo-function";
export const FAILING = "failing-function";

/** Returns its input unchanged. */
export const echo = withDurableExecution(async (event: unknown) => event ?? null);

/** Always fails. */
export const failing = withDurableExecution(async (): Promise<never> => {
  throw new Error("the target function failed");
});
