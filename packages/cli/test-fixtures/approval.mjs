// Waits for a manager's approval through a callback, then books the result. The submitter
// appends the callback id to $CAIRN_FIXTURE_LOG, as a real one would post it to a chat channel.
// Input: { "timeoutHours": n } gives the callback a timeout (so the run also has a timer).
import { appendFileSync } from "node:fs";
import { withDurableExecution } from "@cairn/sdk";

export const handler = withDurableExecution(async (event, ctx) => {
  const decision = await ctx.waitForCallback(
    "manager-approval",
    async (callbackId) => {
      if (process.env.CAIRN_FIXTURE_LOG) appendFileSync(process.env.CAIRN_FIXTURE_LOG, `${callbackId}\n`);
    },
    {
      ...(event?.timeoutHours ? { timeout: { hours: event.timeoutHours } } : {}),
      serdes: { deserialize: async (data) => JSON.parse(data ?? "null") },
    },
  );
  const booked = await ctx.step("book", async () => ({ booked: decision.approved === true }));
  return { decision, ...booked };
});
