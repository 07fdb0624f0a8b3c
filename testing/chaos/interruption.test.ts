// Runs every example with a crash injected at every checkpoint boundary (before the k-th
// checkpoint is stored, and after it is stored), and inside every side-effecting step body, then
// checks that each resumed execution ends with the clean run's result and that no step body ran
// again once its result was stored (at-most-once bodies: never twice at all).
import { withDurableExecution, type DurableExecutionHandler } from "@cairn/sdk";
import { LocalDurableTestRunner, type CrashPredicate, type FaultPlan } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { demoCarriers } from "../../examples/src/carrier-quotes/carriers.js";
import { createQuoteWorkflow } from "../../examples/src/carrier-quotes/workflow.js";
import { inMemoryServices, type OrderServices } from "../../examples/src/order-fulfilment/services.js";
import { createOrderWorkflow } from "../../examples/src/order-fulfilment/workflow.js";
import { SideEffectLedger } from "./side-effect-ledger.js";

interface Scenario {
  name: string;
  payload: unknown;
  build: (ledger: SideEffectLedger) => DurableExecutionHandler;
  /** Bodies that must never run twice, even when interrupted inside. */
  atMostOnce: string[];
  /** Expected result when the crash hits inside this at-most-once body. */
  resultWhenInterruptedInside?: (label: string) => unknown;
}

function ledgeredOrderServices(ledger: SideEffectLedger): OrderServices {
  const real = inMemoryServices();
  return {
    loadOrder: (id) => (ledger.call("load-order"), real.loadOrder(id)),
    priceLine: (line, attempt) => (ledger.call(`price-line:${line.sku}`), real.priceLine(line, attempt)),
    chargeCard: (id, amount) => (ledger.call("charge-card"), real.chargeCard(id, amount)),
    reserveStock: (id, lines) => (ledger.call("reserve-stock"), real.reserveStock(id, lines)),
    createShippingLabel: (id) => (ledger.call("create-label"), real.createShippingLabel(id)),
    sendConfirmation: (email, text) => (ledger.call("send-confirmation"), real.sendConfirmation(email, text)),
  };
}

const scenarios: Scenario[] = [
  {
    name: "order-fulfilment",
    payload: { orderId: "ord-1001" },
    build: (ledger) => createOrderWorkflow(ledgeredOrderServices(ledger)),
    atMostOnce: ["charge-card"],
    resultWhenInterruptedInside: () => expect.objectContaining({ status: "PAYMENT_NEEDS_REVIEW" }),
  },
  {
    name: "carrier-quotes",
    payload: { parcelId: "p-9", weightGrams: 2500 },
    build: (ledger) =>
      createQuoteWorkflow(
        demoCarriers().map((carrier) => ({
          ...carrier,
          quote: (request) => (ledger.call(`quote-${carrier.name}`), carrier.quote(request)),
        })),
      ),
    atMostOnce: [],
  },
];

/** Crash plans here name checkpoints by number only; they become predicates after the observer. */
type CheckpointPlan = Pick<FaultPlan, "crashAfterCheckpoint" | "crashBeforeCheckpoint">;

async function runWith(scenario: Scenario, faults: (ledger: SideEffectLedger) => CheckpointPlan) {
  const ledger = new SideEffectLedger();
  const runner = new LocalDurableTestRunner({ handlerFunction: withDurableExecution(scenario.build(ledger)), skipTime: true });
  let checkpoints = 0;
  const plan = faults(ledger);
  // First and never firing, so the ledger sees every checkpoint — the one a crash fires on and
  // those after a crash included (the injector stops asking a predicate once it has fired).
  const observe: CrashPredicate = (info) => {
    if (info.phase === "after") checkpoints++;
    ledger.record(info);
    return false;
  };
  const at = (phase: "before" | "after", k: number | readonly number[] | undefined): CrashPredicate[] =>
    (k === undefined ? [] : typeof k === "number" ? [k] : k).map((n) => (info) => info.phase === phase && info.checkpointNumber === n);
  const result = await runner.run({
    payload: scenario.payload,
    faults: {
      crashWhen: [
        observe,
        (info) => ledger.crashDue(info),
        ...at("before", plan.crashBeforeCheckpoint),
        ...at("after", plan.crashAfterCheckpoint),
      ],
    },
  });
  return { result, ledger, checkpoints };
}

describe.each(scenarios)("interrupting $name", (scenario) => {
  it("survives a crash at every checkpoint boundary with the same result and no re-run of stored steps", async () => {
    const clean = await runWith(scenario, () => ({}));
    expect(clean.result.getStatus()).toBe("SUCCEEDED");
    const expected = clean.result.getResult();
    expect(clean.checkpoints).toBeGreaterThanOrEqual(3);

    let crashes = 0;
    for (let k = 1; k <= clean.checkpoints; k++) {
      for (const plan of [{ crashAfterCheckpoint: k }, { crashBeforeCheckpoint: k }] satisfies CheckpointPlan[]) {
        const { result, ledger } = await runWith(scenario, () => plan);
        const where = `${scenario.name} ${JSON.stringify(plan)}`;
        expect(result.getInjectedCrashCount(), where).toBe(1);
        crashes += result.getInjectedCrashCount();
        expect(result.getStatus(), where).toBe("SUCCEEDED");
        // A crash after an at-most-once step's START is stored looks, to the store, like a crash
        // inside its body: the step is reported interrupted rather than run again.
        const interrupted = result
          .getHistoryEvents()
          .find((e) => e.EventType === "StepFailed" && e.StepFailedDetails?.Error?.Payload?.ErrorType === "StepInterruptedError");
        if (interrupted) {
          expect(scenario.atMostOnce, where).toContain(interrupted.Name);
          expect(result.getResult(), where).toEqual(scenario.resultWhenInterruptedInside?.(interrupted.Name ?? ""));
        } else {
          expect(result.getResult(), where).toEqual(expected);
        }
        expect(ledger.rerunsAfterStored(), where).toEqual([]);
        for (const label of scenario.atMostOnce) expect(ledger.calls(label), `${where} ${label}`).toBeLessThanOrEqual(1);
      }
    }
    expect(crashes).toBe(2 * clean.checkpoints);
  });

  it("survives a crash inside every side-effecting step body", async () => {
    const clean = await runWith(scenario, () => ({}));
    const expected = clean.result.getResult();
    const labels = clean.ledger.labels();
    expect(labels.length).toBeGreaterThan(1);
    for (const label of labels) {
      const { result, ledger } = await runWith(scenario, (l) => (l.crashInside(label), {}));
      const where = `${scenario.name} crash inside ${label}`;
      expect(result.getInjectedCrashCount(), where).toBe(1);
      expect(result.getStatus(), where).toBe("SUCCEEDED");
      expect(ledger.rerunsAfterStored(), where).toEqual([]);
      if (scenario.atMostOnce.includes(label)) {
        expect(ledger.calls(label), where).toBe(1);
        expect(result.getResult(), where).toEqual(scenario.resultWhenInterruptedInside?.(label));
      } else {
        expect(result.getResult(), where).toEqual(expected);
      }
    }
  });
});
