import { withDurableExecution } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { inMemoryServices, UnknownSku, type OrderServices } from "./services.js";
import { createOrderWorkflow, type OrderOutcome } from "./workflow.js";

function runnerFor(services: OrderServices) {
  return new LocalDurableTestRunner<OrderOutcome>({
    handlerFunction: withDurableExecution(createOrderWorkflow(services)),
    skipTime: true,
  });
}

describe("order fulfilment", () => {
  it("prices, charges, reserves, ships and confirms", async () => {
    const runner = runnerFor(inMemoryServices());
    const pricing = runner.getOperation("price-lines");
    const result = await runner.run({ payload: { orderId: "ord-1001" } });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({
      status: "CONFIRMED",
      orderId: "ord-1001",
      totalCents: 3_499 + 4 * 899 + 2 * 1_450 + 8_900,
      paymentId: "pay_ord-1001_18895",
      reservationId: "res_ord-1001_4",
      trackingNumber: "TRK-ORD-1001",
      confirmationId: expect.stringMatching(/^msg_/),
    });
    expect(pricing.getChildOperations()?.map((op) => op.getName())).toEqual(["SKU-KETTLE", "SKU-MUG", "SKU-BEANS", "SKU-GRINDER"]);
    const grinder = pricing.getChildOperations()?.[3]?.getChildOperations()?.[0];
    expect(grinder?.getStepDetails()?.attempt).toBe(2); // the catalogue was warming up once
    expect(runner.getOperation("cancellation-window").getWaitDetails()?.waitSeconds).toBe(2);
    // One suspension for the pricing retry, one for the cancellation window.
    expect(result.getInvocations()).toHaveLength(3);
  });

  it("charges the card exactly once even across suspensions", async () => {
    const services = inMemoryServices();
    let charges = 0;
    const counted: OrderServices = { ...services, chargeCard: async (...args) => (charges++, services.chargeCard(...args)) };
    const result = await runnerFor(counted).run({ payload: { orderId: "ord-7" } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(charges).toBe(1);
  });

  it("rejects an order with an unknown product without charging", async () => {
    const services = inMemoryServices();
    let charged = false;
    const result = await runnerFor({
      ...services,
      loadOrder: async (orderId) => ({ orderId, customerEmail: "a@example.com", lines: [{ sku: "SKU-NOPE", quantity: 1 }] }),
      priceLine: async (line) => {
        throw new UnknownSku(line.sku);
      },
      chargeCard: async (...args) => ((charged = true), services.chargeCard(...args)),
    }).run({ payload: { orderId: "ord-2" } });
    expect(result.getResult()).toEqual({ status: "REJECTED", orderId: "ord-2", reason: "no such product: SKU-NOPE" });
    expect(charged).toBe(false);
  });

  it("sends the order to review when the payment fails, without confirming", async () => {
    const services = inMemoryServices();
    const result = await runnerFor({
      ...services,
      chargeCard: async () => {
        throw new Error("card declined");
      },
    }).run({ payload: { orderId: "ord-3" } });
    expect(result.getResult()).toMatchObject({ status: "PAYMENT_NEEDS_REVIEW", reason: "card declined" });
    expect(result.getHistoryEvents().some((e) => e.Name === "send-confirmation")).toBe(false);
  });

  it("fails with a clear message for a malformed event", async () => {
    const result = await runnerFor(inMemoryServices()).run({ payload: { order: 1 } });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/expects an event like \{"orderId"/);
  });
});
