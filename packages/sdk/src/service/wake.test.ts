import { describe, expect, it } from "vitest";
import { InvocationStatus } from "../protocol/invocation.js";
import { applyMutation } from "./execution-record.js";
import { planEndInvocation } from "./invocation-lifecycle.js";
import { at, CoreHarness, step, wait } from "./test-support/core-fixtures.js";
import { wakeAtOf } from "./wake.js";

function endPending(h: CoreHarness, seconds: number): void {
  applyMutation(
    h.record,
    planEndInvocation(h.record, h.ticket!, { kind: "returned", output: { Status: InvocationStatus.PENDING } }, h.ctx(seconds)),
  );
}

describe("wakeAtOf", () => {
  it("a new execution is due at once; after suspending it is due at its next timer", () => {
    const h = new CoreHarness();
    expect(wakeAtOf(h.record)).toEqual(at(0));
    h.begin(1);
    h.checkpoint([wait("w", "START", 30), step("s", "START")], 1);
    h.checkpoint([step("s", "RETRY", { StepOptions: { NextAttemptDelaySeconds: 5 } })], 2);
    endPending(h, 2);
    expect(wakeAtOf(h.record)).toEqual(at(7));
  });

  it("a pending wake-up makes it due until the next invocation begins", () => {
    const h = new CoreHarness();
    h.begin(1);
    endPending(h, 1);
    expect(wakeAtOf(h.record)).toBeUndefined();
    applyMutation(h.record, { seq: h.record.seq + 1, wakePending: true });
    expect(wakeAtOf(h.record)).toEqual(at(0));
    h.begin(3);
    expect(h.record.wakePending).toBe(false);
    expect(wakeAtOf(h.record)).toBeUndefined();
  });

  it("an ended execution is never due", () => {
    const h = new CoreHarness();
    h.begin(1);
    applyMutation(
      h.record,
      planEndInvocation(h.record, h.ticket!, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED } }, h.ctx(2)),
    );
    expect(wakeAtOf(h.record)).toBeUndefined();
  });
});
