// Creates a callback and waits for it: the shape of a handler that hands its callback id to
// another system itself. Input: { "timeoutHours": n } gives the callback a timeout (a timer).
import { withDurableExecution } from "@cairn/sdk";

export const handler = withDurableExecution(async (event, ctx) => {
  const [paid, callbackId] = await ctx.createCallback(
    "invoice-paid",
    event?.timeoutHours ? { timeout: { hours: event.timeoutHours } } : undefined,
  );
  await ctx.step("send-invoice", async () => callbackId);
  return await paid;
});
