// Steps: named and unnamed, a retry strategy from createRetryStrategy, both semantics, a
// permanent failure caught as StepError, and the step context's attempt and logger.
import {
  createRetryStrategy,
  StepSemantics,
  withDurableExecution,
  type DurableContext,
  type StepConfig,
} from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

const flaky: StepConfig<string> = {
  retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 2 }),
  semantics: StepSemantics.AtLeastOncePerRetry,
};

export const handler = withDurableExecution(async (event: { name: string }, ctx: DurableContext) => {
  const greeting = await ctx.step("greet", async () => `hello ${event.name}`);
  const length = await ctx.step(async () => greeting.length);
  const flakyResult = await ctx.step(
    "flaky",
    async (step) => {
      step.logger.info("trying", { attempt: step.attempt });
      if (step.attempt < 3) throw new Error(`transient failure on attempt ${step.attempt}`);
      return `ok on attempt ${step.attempt}`;
    },
    flaky,
  );
  const once = await ctx.step("once", async () => "ran once", { semantics: StepSemantics.AtMostOncePerRetry });
  let failure: unknown;
  try {
    await ctx.step(
      "always-fails",
      async () => {
        throw new TypeError("bad input");
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 } }) },
    );
  } catch (error) {
    failure = describeError(error);
  }
  return { greeting, length, flakyResult, once, failure };
});
