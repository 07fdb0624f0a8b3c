// Child contexts, and the ways a handler can misuse a context.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const checkout = withDurableExecution(async (event: { items: number[] }, context: DurableContext) => {
  const total = await context.runInChildContext("price", async (child) => {
    const subtotal = await child.step("subtotal", async () => event.items.reduce((a, b) => a + b, 0));
    await child.wait({ seconds: 1 });
    return child.step("with-tax", async () => Math.round(subtotal * 1.2));
  });
  const receipt = await context.runInChildContext(async (child) => child.step("receipt", async () => `total ${total}`));
  return { total, receipt };
});

/** Uses the parent context inside a child context. */
export const parentInChild = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.runInChildContext("child", async () => {
    await context.step("through-parent", async () => "should not run");
  });
  return "finished";
});

/** Calls a durable operation inside a step body. */
export const operationInStep = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.step("outer", async () => {
    await context.wait({ seconds: 1 });
    return "done";
  });
  return "finished";
});

/** Uses the outer context inside a waitForCondition check. */
export const operationInCheck = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const state = await context.waitForCondition(
    "poll",
    async (count: number) => {
      await context.step("inside-check", async () => count);
      return count + 1;
    },
    { initialState: 0, waitStrategy: (count) => (count >= 2 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }) },
  );
  return state;
});
