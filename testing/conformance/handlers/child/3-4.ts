import { retryPresets, withDurableExecution } from "@cairn/sdk";

// 3.4: the child's step fails without retry; the child fails and so does the execution.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.runInChildContext(async (child) =>
    child.step(
      async (): Promise<string> => {
        throw new Error("inner step failed");
      },
      { retryStrategy: retryPresets.noRetry },
    ),
  );
});
