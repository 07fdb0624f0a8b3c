import { describe, expect, it } from "vitest";
import { InvocationStatus } from "../protocol/invocation.js";
import { applyMutation } from "./execution-record.js";
import { planEndInvocation } from "./invocation-lifecycle.js";
import { nextTimerOf, planFireDueTimers } from "./timers.js";
import { at, CoreHarness, step, wait } from "./test-support/core-fixtures.js";

function withTimers(): CoreHarness {
  const h = new CoreHarness();
  h.begin();
  h.checkpoint([wait("w1", "START", 10), wait("w2", "START", 4), step("s", "START")]);
  h.checkpoint([step("s", "RETRY", { Error: { ErrorType: "Error", ErrorMessage: "flaky" }, StepOptions: { NextAttemptDelaySeconds: 4 } })], 1);
  return h;
}

describe("timers", () => {
  it("nextTimer is the earliest wait end or retry time", () => {
    const h = withTimers();
    expect(nextTimerOf(h.record)).toEqual(at(4));
    h.checkpoint([wait("w2", "CANCEL")], 2);
    expect(nextTimerOf(h.record)).toEqual(at(5));
  });

  it("fires only what is due: waits succeed with an event, steps become READY silently", () => {
    const h = withTimers();
    expect(planFireDueTimers(h.record, h.ctx(3)).mutation).toBeUndefined();

    const first = planFireDueTimers(h.record, h.ctx(5));
    expect(first.firedOperationIds).toEqual(["w2", "s"]);
    applyMutation(h.record, first.mutation!);
    expect(h.op("w2")).toMatchObject({ Status: "SUCCEEDED", EndTimestamp: at(5) });
    expect(h.op("s")?.Status).toBe("READY");
    expect(h.op("w1")?.Status).toBe("STARTED");
    expect(h.record.history!.at(-1)).toMatchObject({ EventType: "WaitSucceeded", Id: "w2", SubType: "Wait", WaitSucceededDetails: { Duration: 4 } });
    expect(h.record.history!.filter((e) => e.Id === "s").map((e) => e.EventType)).toEqual(["StepStarted", "StepFailed"]);

    expect(nextTimerOf(h.record)).toEqual(at(10));
    const second = planFireDueTimers(h.record, h.ctx(100));
    expect(second.firedOperationIds).toEqual(["w1"]);
    applyMutation(h.record, second.mutation!);
    expect(nextTimerOf(h.record)).toBeUndefined();
  });

  it("fires due timers earliest first", () => {
    const h = withTimers();
    const plan = planFireDueTimers(h.record, h.ctx(20));
    expect(plan.firedOperationIds).toEqual(["w2", "s", "w1"]);
  });

  it("a finished execution has no timers", () => {
    const h = withTimers();
    applyMutation(
      h.record,
      planEndInvocation(h.record, h.ticket!, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED } }, h.ctx(2)),
    );
    expect(nextTimerOf(h.record)).toBeUndefined();
    expect(planFireDueTimers(h.record, h.ctx(50)).firedOperationIds).toEqual([]);
  });
});
