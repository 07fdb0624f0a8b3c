// Steps as a handler author writes them: named and unnamed, retried, and both semantics.
import {
  createRetryStrategy,
  JitterStrategy,
  StepSemantics,
  withDurableExecution,
  type DurableContext,
} from "@aws/durable-execution-sdk-js";

export const greet = withDurableExecution(async (event: { name: string }, context: DurableContext) => {
  const greeting = await context.step("greet", async () => `hello ${event.name}`);
  const length = await context.step(async () => greeting.length);
  return { greeting, length };
});

export const flaky = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return context.step(
    "flaky",
    async (step) => {
      if (step.attempt < 3) throw new Error(`transient failure on attempt ${step.attempt}`);
      return `ok on attempt ${step.attempt}`;
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 5, initialDelay: { seconds: 2 }, backoffRate: 2, jitter: JitterStrategy.NONE }) },
  );
});

export const exhausted = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.step(
    "charge-card",
    async () => {
      throw new Error("card declined");
    },
    { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) },
  );
  return "unreachable";
});

/** What the outside world saw: a step body with a side effect counts it here. */
export const sideEffects = { charges: 0 };

export const atMostOnce = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const charged = await context.step(
    "charge",
    async () => {
      sideEffects.charges += 1;
      return { charged: 42 };
    },
    { semantics: StepSemantics.AtMostOncePerRetry },
  );
  await context.wait({ seconds: 5 });
  return charged;
});
