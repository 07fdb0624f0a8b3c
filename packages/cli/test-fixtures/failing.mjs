// A step that always fails, without retries: the execution ends FAILED.
import { withDurableExecution } from "@cairn/sdk";

class PaymentDeclined extends Error {
  constructor(message) {
    super(message);
    this.name = "PaymentDeclined";
  }
}

export const handler = withDurableExecution(async (_event, ctx) => {
  await ctx.step("validate", async () => true);
  await ctx.step(
    "charge",
    async () => {
      throw new PaymentDeclined("card declined");
    },
    { retryStrategy: () => ({ shouldRetry: false }) },
  );
  return "unreachable";
});
