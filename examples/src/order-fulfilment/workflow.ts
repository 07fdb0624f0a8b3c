import {
  allSuccessful,
  createRetryStrategy,
  JitterStrategy,
  retryPresets,
  StepSemantics,
  type DurableContext,
} from "@cairn/sdk";
import type { OrderServices, PricedLine } from "./services.js";

export interface OrderInput {
  orderId: string;
}

export type OrderOutcome =
  | {
      status: "CONFIRMED";
      orderId: string;
      totalCents: number;
      paymentId: string;
      reservationId: string;
      trackingNumber: string;
      confirmationId: string;
    }
  | { status: "PAYMENT_NEEDS_REVIEW"; orderId: string; totalCents: number; reason: string }
  | { status: "REJECTED"; orderId: string; reason: string };

const pricingRetry = createRetryStrategy({
  maxAttempts: 3,
  initialDelay: { seconds: 1 },
  backoffRate: 2,
  jitter: JitterStrategy.NONE,
  retryableErrors: [/try again/],
});

/**
 * Prices every line (retrying a flaky catalogue), then charges, reserves stock and books shipping
 * in parallel, leaves a cancellation window, and confirms.
 *
 * The card charge is at-most-once without retries: if the process dies while it runs, the charge
 * is not attempted again blindly — the order goes to review instead of risking a double charge.
 */
export function createOrderWorkflow(services: OrderServices) {
  return async (input: OrderInput, ctx: DurableContext): Promise<OrderOutcome> => {
    if (!input || typeof input.orderId !== "string" || input.orderId.length === 0) {
      throw new TypeError('order-fulfilment expects an event like {"orderId": "ord-1001"}');
    }
    const order = await ctx.step("load-order", async () => services.loadOrder(input.orderId));

    const priced = await ctx.map(
      "price-lines",
      order.lines,
      (c, item) => c.step("price-line", async ({ attempt }) => services.priceLine(item, attempt), { retryStrategy: pricingRetry }),
      { maxConcurrency: 2, itemNamer: (item) => item.sku, completionConfig: allSuccessful() },
    );
    if (priced.hasFailure) {
      return { status: "REJECTED", orderId: order.orderId, reason: priced.getErrors()[0]?.message ?? "pricing failed" };
    }
    const lines: PricedLine[] = priced.getResults();
    const totalCents = lines.reduce((sum, line) => sum + line.totalCents, 0);

    const fulfilment = await ctx.parallel<string>(
      "fulfil",
      [
        {
          name: "payment",
          func: async (c) => {
            const { paymentId } = await c.step("charge-card", async () => services.chargeCard(order.orderId, totalCents), {
              semantics: StepSemantics.AtMostOncePerRetry,
              retryStrategy: retryPresets.noRetry,
            });
            return paymentId;
          },
        },
        {
          name: "inventory",
          func: async (c) => (await c.step("reserve-stock", async () => services.reserveStock(order.orderId, order.lines))).reservationId,
        },
        {
          name: "shipping",
          func: async (c) => (await c.step("create-label", async () => services.createShippingLabel(order.orderId))).trackingNumber,
        },
      ],
      { completionConfig: { toleratedFailureCount: 3 } },
    );
    const [payment, inventory, shipping] = [0, 1, 2].map((i) => fulfilment.all.find((item) => item.index === i));
    if (payment?.status !== "SUCCEEDED") {
      return {
        status: "PAYMENT_NEEDS_REVIEW",
        orderId: order.orderId,
        totalCents,
        reason: payment?.error?.message ?? "payment did not complete",
      };
    }
    if (inventory?.status !== "SUCCEEDED" || shipping?.status !== "SUCCEEDED") {
      fulfilment.throwIfError();
    }

    // The customer may still cancel for a short while before the confirmation goes out.
    await ctx.wait("cancellation-window", { seconds: 2 });

    const confirmation = await ctx.step("send-confirmation", async () =>
      services.sendConfirmation(order.customerEmail, `Order ${order.orderId}: ${lines.length} lines, ${totalCents} cents`),
    );
    return {
      status: "CONFIRMED",
      orderId: order.orderId,
      totalCents,
      paymentId: payment.result as string,
      reservationId: inventory?.result as string,
      trackingNumber: shipping?.result as string,
      confirmationId: confirmation.messageId,
    };
  };
}
