import { createRetryStrategy, withDurableExecution } from "@cairn/sdk";

// 7.7: the submitter always throws; two attempts 1 s apart, then the operation fails.
export const handler = withDurableExecution(async (name: string, ctx) =>
  ctx.waitForCallback(
    name,
    async () => {
      throw new Error("submitter failed");
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, backoffRate: 1 }) },
  ),
);
