// waitForCondition with createWaitStrategy and with a hand-written strategy, and a failing check.
import { createWaitStrategy, withDurableExecution, type WaitForConditionConfig } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

interface Poll {
  count: number;
}

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const polled = await ctx.waitForCondition("poll", async (state: Poll) => ({ count: state.count + 1 }), {
    initialState: { count: 0 },
    waitStrategy: createWaitStrategy({ shouldContinuePolling: (state: Poll) => state.count < 3, initialDelay: { seconds: 2 } }),
  });
  const handWritten: WaitForConditionConfig<number> = {
    initialState: 10,
    waitStrategy: (state, attempt) => (state > 7 ? { shouldContinue: true, delay: { seconds: attempt } } : { shouldContinue: false }),
  };
  const countdown = await ctx.waitForCondition(async (state: number, check) => state - check.attempt, handWritten);
  // A strategy that runs out of attempts is not exercised: on the AWS testing runner it ends the
  // invocation with an unrecoverable checkpoint error instead of a failed operation.
  let broken: unknown;
  try {
    await ctx.waitForCondition(
      "broken",
      async (): Promise<number> => {
        throw new Error("probe unreachable");
      },
      { initialState: 0, waitStrategy: createWaitStrategy({ shouldContinuePolling: () => true, maxAttempts: 2 }) },
    );
  } catch (error) {
    broken = describeError(error);
  }
  return { polled, countdown, broken };
});
