// Reserves stock, cools down for a second, then charges: the happy path with a real wait.
import { withDurableExecution } from "@cairn/sdk";

export const handler = withDurableExecution(async (event, ctx) => {
  const reservation = await ctx.step("reserve-stock", async () => ({ sku: event.sku, qty: event.qty ?? 1 }));
  await ctx.wait("cool-down", { seconds: 1 });
  const items = await ctx.parallel("notify", [
    async (branch) => branch.step("email", async () => "emailed"),
    async (branch) => branch.step("sms", async () => "texted"),
  ]);
  ctx.logger.info("charging", reservation.sku);
  const charge = await ctx.step("charge", async () => ({ amount: 10 * reservation.qty }));
  return { reservation, notified: items.getResults(), charge };
});
