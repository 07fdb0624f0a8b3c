import { withDurableExecution, type RetryStrategy } from "@cairn/sdk";

class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransientError";
  }
}

// Retries anything except TransientError.
const noRetryOnTransientError: RetryStrategy = (error, attemptsMade) =>
  error.name === "TransientError" || error instanceof TransientError
    ? { shouldRetry: false }
    : { shouldRetry: attemptsMade < 3, delay: { seconds: 1 } };

// 1.16: the step throws TransientError, which the strategy declines to retry: the step and the
// execution fail.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  await ctx.step(
    async () => {
      throw new TransientError("transient failure that must not be retried");
    },
    { retryStrategy: noRetryOnTransientError },
  );
});
