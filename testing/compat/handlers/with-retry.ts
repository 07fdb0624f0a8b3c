// withRetry: a block of durable code retried with durable waits between attempts — named and
// wrapped in a child context, anonymous, unwrapped, and retries exhausted.
import {
  createRetryStrategy,
  JitterStrategy,
  withRetry,
  withDurableExecution,
  type DurableContext,
  type RetryableFunc,
  type WithRetryConfig,
} from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

/** Fails (a step with no retries of its own) until attempt `succeedAt`. */
function attemptUntil(succeedAt: number): RetryableFunc<string> {
  return async (ctx: DurableContext, attempt: number): Promise<string> => {
    await ctx.wait(`settle-${attempt}`, { seconds: 1 });
    return ctx.step(
      `charge-${attempt}`,
      async () => {
        if (attempt < succeedAt) throw new Error(`declined on attempt ${attempt}`);
        return `paid on attempt ${attempt}`;
      },
      { retryStrategy: () => ({ shouldRetry: false }) },
    );
  };
}

const upToThree = createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 2 }, jitter: JitterStrategy.NONE });

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const named = await withRetry(ctx, "pay", attemptUntil(3), { retryStrategy: upToThree });
  const once: WithRetryConfig<string> = { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 2 }) };
  const anonymous = await withRetry(ctx, attemptUntil(2), once);
  const outcomes: unknown[] = [];
  for (const wrapWithRunInChildContext of [true, false]) {
    try {
      await withRetry(ctx, `never-${String(wrapWithRunInChildContext)}`, attemptUntil(9), { retryStrategy: upToThree, wrapWithRunInChildContext });
    } catch (error) {
      outcomes.push(describeError(error));
    }
  }
  return { named, anonymous, outcomes };
});
