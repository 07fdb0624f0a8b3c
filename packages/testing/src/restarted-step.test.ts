// A step interrupted mid-body, seen in the history the way an AWS user inspects it.
import { StepSemantics, withDurableExecution, type DurableContext, type HistoryEvent } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "./index.js";

function chargeHandler(semantics: StepSemantics, bodies: { count: number }, firstBodyWaitsFor?: Promise<void>) {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) =>
    ctx.step(
      "charge",
      async ({ attempt }) => {
        if (++bodies.count === 1) await firstBodyWaitsFor;
        return `charged on attempt ${attempt}`;
      },
      { semantics, retryStrategy: (_error, attempts) => ({ shouldRetry: attempts < 3, delay: { seconds: 1 } }) },
    ),
  );
}

const stepEvents = (events: HistoryEvent[]) => events.filter((e) => e.Name === "charge").map((e) => e.EventType);

describe("a step interrupted while its body ran", () => {
  it("at least once: the body runs again and its result is stored without a second StepStarted", async () => {
    const bodies = { count: 0 };
    let startStored = (): void => undefined;
    const stored = new Promise<void>((resolve) => (startStored = resolve));
    const runner = new LocalDurableTestRunner({ handlerFunction: chargeHandler(StepSemantics.AtLeastOncePerRetry, bodies, stored), skipTime: true });
    // The body ends only once its START is stored, and its result is lost: the store holds the step as STARTED.
    const result = await runner.run({
      faults: {
        crashBeforeCompletion: "charge",
        crashWhen: (info) => {
          if (info.phase === "after" && info.updates.some((u) => u.Name === "charge" && u.Action === "START")) startStored();
          return false;
        },
      },
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(bodies.count).toBe(2);
    // The re-run is the same attempt (its START is the one stored before the crash).
    expect(result.getResult()).toBe("charged on attempt 1");
    expect(stepEvents(result.getHistoryEvents())).toEqual(["StepStarted", "StepSucceeded"]);
    expect(runner.getOperation("charge").getStepDetails()).toMatchObject({ attempt: 1, result: "charged on attempt 1" });
  });

  it("at most once: unchanged, the interrupted attempt fails, is retried and starts again", async () => {
    const bodies = { count: 0 };
    const runner = new LocalDurableTestRunner({ handlerFunction: chargeHandler(StepSemantics.AtMostOncePerRetry, bodies), skipTime: true });
    const result = await runner.run({ faults: { crashAfterStart: "charge" } });
    expect(result.getStatus()).toBe("SUCCEEDED");
    // The first attempt's body never ran (the crash came right after its START); it is not re-run.
    expect(bodies.count).toBe(1);
    expect(result.getResult()).toBe("charged on attempt 2");
    expect(stepEvents(result.getHistoryEvents())).toEqual(["StepStarted", "StepFailed", "StepStarted", "StepSucceeded"]);
  });
});
