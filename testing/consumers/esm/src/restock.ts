// A durable handler as a user's project writes one: a step, a map over the lines, a parallel
// fan-out and a day-long wait that a skipTime test passes at once.
import { withDurableExecution, type DurableContext } from "@cairn/sdk";

/** The event the handler is started with. */
export interface RestockEvent {
  warehouse: string;
  skus: string[];
}

/** What the handler returns. */
export interface RestockResult {
  warehouse: string;
  ordered: { sku: string; quantity: number }[];
  notified: string[];
}

/** The handler body, exported on its own so a test can wrap it with its own SDK entry. */
export async function restock(event: RestockEvent, ctx: DurableContext): Promise<RestockResult> {
  const levels = await ctx.step("read-levels", async () =>
    Object.fromEntries(event.skus.map((sku, index) => [sku, index * 3])),
  );
  const orders = await ctx.map("order-lines", event.skus, async (lineCtx, sku) =>
    lineCtx.step("order", async () => ({ sku, quantity: Math.max(0, 10 - (levels[sku] ?? 0)) })),
  );
  await ctx.wait("await-delivery", { days: 1 });
  const notices = await ctx.parallel("notify", [
    async (branch) => branch.step("email", async () => `email:${event.warehouse}`),
    async (branch) => branch.step("slack", async () => `slack:${event.warehouse}`),
  ]);
  return { warehouse: event.warehouse, ordered: orders.getResults(), notified: notices.getResults() };
}

/** The Lambda entry point. */
export const handler = withDurableExecution(restock);
