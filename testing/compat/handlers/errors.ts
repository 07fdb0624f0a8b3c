// Errors: a custom error thrown in a step, caught as the SDK's step error; and an execution
// that fails from a step or from the handler itself.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

class PaymentDeclined extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentDeclined";
  }
}

export const handler = withDurableExecution(async (event: { failIn?: "step" | "handler" }, ctx) => {
  let caught: unknown;
  try {
    await ctx.step(
      "charge",
      async () => {
        throw new PaymentDeclined("card declined");
      },
      { retryStrategy: () => ({ shouldRetry: false }) },
    );
  } catch (error) {
    caught = describeError(error);
  }
  if (event.failIn === "step") {
    await ctx.step(
      "fatal",
      async () => {
        throw new PaymentDeclined("unrecoverable");
      },
      { retryStrategy: () => ({ shouldRetry: false }) },
    );
  }
  if (event.failIn === "handler") throw new PaymentDeclined("handler gave up");
  return caught;
});
