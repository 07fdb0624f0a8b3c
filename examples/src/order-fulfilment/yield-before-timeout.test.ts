// A long order (60 lines, each priced in its own map item) under a short simulated function
// timeout: the execution yields before each timeout and resumes in the next invocation.
import { withDurableExecution, type DurableLambdaHandler } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { inMemoryServices, type OrderServices } from "./services.js";
import { createOrderWorkflow, type OrderOutcome } from "./workflow.js";

const SKUS = ["SKU-KETTLE", "SKU-MUG", "SKU-BEANS", "SKU-GRINDER"];

/** Simulated time spent working in the current invocation, in milliseconds. */
interface WorkMeter {
  spent: number;
}

/** 60 distinct lines; every service call is counted and takes 500 ms of simulated time. */
function longOrderServices(meter: WorkMeter, calls: Map<string, number>): OrderServices {
  const base = inMemoryServices();
  const count = (key: string) => {
    calls.set(key, (calls.get(key) ?? 0) + 1);
    meter.spent += 500;
  };
  return {
    ...base,
    loadOrder: async (orderId) => {
      count("loadOrder");
      const order = await base.loadOrder(orderId);
      return { ...order, lines: Array.from({ length: 60 }, (_, i) => ({ sku: SKUS[i % 4] as string, quantity: i + 1 })) };
    },
    priceLine: async (line, attempt) => {
      count(`priceLine:${line.sku}x${line.quantity}#${attempt}`);
      return base.priceLine(line, attempt);
    },
    chargeCard: async (...args) => (count("chargeCard"), base.chargeCard(...args)),
    reserveStock: async (...args) => (count("reserveStock"), base.reserveStock(...args)),
    createShippingLabel: async (...args) => (count("createShippingLabel"), base.createShippingLabel(...args)),
    sendConfirmation: async (...args) => (count("sendConfirmation"), base.sendConfirmation(...args)),
  };
}

/**
 * Each invocation gets `timeoutMs` of simulated time: getRemainingTimeInMillis counts down as the
 * services work (skipped time stands still while a handler runs, so the work meter stands in).
 */
function withSimulatedTimeout(handler: DurableLambdaHandler, meter: WorkMeter, timeoutMs: number | undefined): DurableLambdaHandler {
  if (timeoutMs === undefined) return handler;
  return (input, context) => {
    meter.spent = 0;
    return handler(input, { ...context, getRemainingTimeInMillis: () => Math.max(0, timeoutMs - meter.spent) });
  };
}

async function runOrder(invocationTimeoutMs: number | undefined) {
  const meter: WorkMeter = { spent: 0 };
  const calls = new Map<string, number>();
  const handler = withDurableExecution(createOrderWorkflow(longOrderServices(meter, calls)), { yieldMarginMs: 1_000 });
  const runner = new LocalDurableTestRunner<OrderOutcome>({
    handlerFunction: withSimulatedTimeout(handler, meter, invocationTimeoutMs),
    skipTime: true,
  });
  const result = await runner.run({ payload: { orderId: "ord-long" } });
  return { result, calls, runner };
}

describe("order fulfilment under a short function timeout", () => {
  it("spans several invocations, finishes with the unconstrained result, and runs no step body twice", async () => {
    const free = await runOrder(undefined);
    const tight = await runOrder(4_000);

    expect(free.result.getStatus()).toBe("SUCCEEDED");
    expect(tight.result.getStatus()).toBe("SUCCEEDED");
    expect(tight.result.getResult()).toEqual(free.result.getResult());

    // Unconstrained, only the grinder retries and the cancellation window suspend it. Under the
    // limit: 60+ calls of 500 ms against 4 s invocations that stop with 1 s left, about 6 per invocation.
    const extra = tight.result.getInvocations().length - free.result.getInvocations().length;
    expect(extra).toBeGreaterThanOrEqual(3);

    // Every side effect happened exactly once per attempt, and the same ones as without the limit.
    expect([...tight.calls.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...tight.calls.keys()].sort()).toEqual([...free.calls.keys()].sort());

    // The same operations, in the same places.
    const shape = (runner: typeof free.runner) =>
      runner
        .getOperation("price-lines")
        .getChildOperations()
        ?.map((op) => [op.getName(), op.getStatus()]);
    expect(shape(tight.runner)).toEqual(shape(free.runner));
    expect(shape(tight.runner)).toHaveLength(60);
  });
});
