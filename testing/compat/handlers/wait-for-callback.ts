// waitForCallback: a submitter that receives the id, a custom deserializer, and a timeout.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const reply = await ctx.waitForCallback<{ score: number }>(
    "external",
    async (callbackId, submitter) => {
      submitter.logger.info("submitted", { callbackId });
    },
    {
      timeout: { minutes: 10 },
      serdes: { deserialize: async (data) => (data === undefined ? undefined : (JSON.parse(data) as { score: number })) },
    },
  );
  let timedOut: unknown;
  try {
    await ctx.waitForCallback("ignored", async () => {}, { timeout: { seconds: 1 } });
  } catch (error) {
    timedOut = describeError(error);
  }
  return { reply, timedOut };
});
