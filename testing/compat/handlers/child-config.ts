// runInChildContext's config beyond serdes: an errorMapper (first run and replay), a
// summaryGenerator for a result too large to checkpoint, and a virtual context.
import { DurableOperationError, withDurableExecution, type ChildConfig } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

class PaymentFailed extends DurableOperationError {
  readonly errorType = "PaymentFailed";
}

const mapped: ChildConfig<string> = { errorMapper: (original) => new PaymentFailed(`payment: ${original.message}`, original) };

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  let failure: unknown;
  try {
    await ctx.runInChildContext(
      "pay",
      async (child) =>
        child.step(
          "charge",
          async (): Promise<string> => {
            throw new Error("card declined");
          },
          { retryStrategy: () => ({ shouldRetry: false }) },
        ),
      mapped,
    );
  } catch (error) {
    failure = { ...describeError(error), isPaymentFailed: error instanceof PaymentFailed };
  }
  const big = await ctx.runInChildContext(
    "big",
    async (child) => (await child.step("seed", async () => "x")).repeat(300 * 1024),
    { summaryGenerator: (value) => `${value.length} characters` },
  );
  const virtual = await ctx.runInChildContext(
    "virtual",
    async (child) => (await child.step("a", async () => 2)) + (await child.step("b", async () => 3)),
    { virtualContext: true },
  );
  // Suspend and replay: the mapped error, the rebuilt large result and the virtual context again.
  await ctx.wait({ seconds: 1 });
  return { failure, bigLength: big.length, virtual };
});
