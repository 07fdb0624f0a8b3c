// createCallback: one answered with success (raw string by default), one with failure.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

export const handler = withDurableExecution(async (event: { orderId: string }, ctx) => {
  const [approval, callbackId] = await ctx.createCallback("approval", { timeout: { minutes: 5 } });
  await ctx.step("notify", async () => callbackId.length > 0);
  const answer = JSON.parse(await approval) as { approved: boolean };
  const [rejection] = await ctx.createCallback<string>("second-opinion");
  let failure: unknown;
  try {
    await rejection;
  } catch (error) {
    failure = describeError(error);
  }
  return { orderId: event.orderId, answer, failure };
});
