import { withDurableExecution } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { demoCarriers } from "./carriers.js";
import { createQuoteWorkflow, type Carrier, type QuoteOutcome } from "./workflow.js";

const runnerFor = (carriers: Carrier[]) =>
  new LocalDurableTestRunner<QuoteOutcome>({ handlerFunction: withDurableExecution(createQuoteWorkflow(carriers)), skipTime: true });

describe("carrier quotes (first successful)", () => {
  it("takes the first quote and abandons the carrier still waiting", async () => {
    const runner = runnerFor(demoCarriers());
    const result = await runner.run({ payload: { parcelId: "p-1", weightGrams: 1200 } });
    expect(result.getResult()).toEqual({
      status: "QUOTED",
      parcelId: "p-1",
      quote: { carrier: "shipwell", priceCents: 450 + 12 * 12 },
      askedCarriers: 3,
      abandonedCarriers: ["slowpost"],
    });
    // Finished in one invocation: nobody waited for slowpost's 60-second answer.
    expect(result.getInvocations()).toHaveLength(1);
    expect(result.getHistoryEvents().some((e) => e.EventType === "StepStarted" && e.Name === "quote-slowpost")).toBe(false);
  });

  it("waits for the slow carrier when it is the only one that answers", async () => {
    const [down, , slow] = demoCarriers() as [Carrier, Carrier, Carrier];
    const result = await runnerFor([down, slow]).run({ payload: { parcelId: "p-2", weightGrams: 500 } });
    expect(result.getResult()).toMatchObject({ status: "QUOTED", quote: { carrier: "slowpost" }, abandonedCarriers: [] });
    expect(result.getInvocations()).toHaveLength(2);
  });

  it("reports every failure when no carrier quotes", async () => {
    const failing = (name: string): Carrier => ({
      name,
      quote: async () => {
        throw new Error(`${name} is down`);
      },
    });
    const result = await runnerFor([failing("a"), failing("b")]).run({ payload: { parcelId: "p-3", weightGrams: 1 } });
    expect(result.getResult()).toEqual({ status: "NO_QUOTE", parcelId: "p-3", failures: ["a is down", "b is down"] });
  });
});
