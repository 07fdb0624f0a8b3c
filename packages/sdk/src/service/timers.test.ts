import { describe, expect, it } from "vitest";
import { InvocationStatus } from "../protocol/invocation.js";
import type { OperationUpdate } from "../protocol/wire.js";
import { planCheckpoint } from "./apply-checkpoint.js";
import { applyMutation } from "./execution-record.js";
import { planEndInvocation } from "./invocation-lifecycle.js";
import { planLiveCheckpoint } from "./live-invocation.js";
import { nextTimerOf, planFireDueTimers } from "./timers.js";
import { at, CoreHarness, step, wait } from "./test-support/core-fixtures.js";

/**
 * A checkpoint of a running invocation (it fires the timers due), applied; returns the ids it
 * reported. `written` receives the operations its mutation writes, in order (the fired ones last).
 */
function liveCheckpoint(h: CoreHarness, updates: OperationUpdate[], seconds: number, written: string[] = []): string[] {
  const plan = planCheckpoint(h.record, h.token, updates, h.ctx(seconds));
  const live = planLiveCheckpoint(h.record, plan, h.ctx(seconds));
  written.push(...(live.mutation.operations ?? []).map((op) => `${op.Id}:${op.Status}`));
  applyMutation(h.record, live.mutation);
  h.token = plan.checkpointToken;
  return live.reported.map((op) => op.Id);
}

/** Counts the record's lookups of operations whose id starts with `prefix`. */
function countLookups(h: CoreHarness, prefix: string): { count: number } {
  const counter = { count: 0 };
  const operations = h.record.operations;
  const get = operations.get.bind(operations);
  operations.get = (id: string) => {
    if (id.startsWith(prefix)) counter.count++;
    return get(id);
  };
  return counter;
}

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

  it("looks at no pending wait in a checkpoint while none can be due, and fires them all once they are", () => {
    const h = new CoreHarness();
    h.begin();
    const waits = Array.from({ length: 300 }, (_, i) => wait(`w${i}`, "START", 3600 + (i % 7)));
    liveCheckpoint(h, waits, 0);
    const lookups = countLookups(h, "w");
    for (let i = 0; i < 50; i++) liveCheckpoint(h, [step(`s${i}`, "START"), step(`s${i}`, "SUCCEED", { Payload: "1" })], 1 + i);
    // The first checkpoint looked at each once (the bound was not known yet); none after it did.
    expect(lookups.count).toBeLessThanOrEqual(300);
    lookups.count = 0;
    for (let i = 50; i < 100; i++) liveCheckpoint(h, [step(`s${i}`, "START")], 60 + i);
    expect(lookups.count).toBe(0);

    // A retry due before them lowers the bound: the checkpoint at its time reports it.
    liveCheckpoint(h, [step("r", "START"), step("r", "RETRY", { Error: { ErrorType: "E" }, StepOptions: { NextAttemptDelaySeconds: 5 } })], 200);
    expect(liveCheckpoint(h, [], 204)).toEqual([]);
    expect(liveCheckpoint(h, [], 205)).toEqual(["r"]);
    // Due together: in the order they were set.
    expect(liveCheckpoint(h, [], 3600)).toEqual(waits.map((w) => w.Id).filter((id) => Number(id.slice(1)) % 7 === 0));
    const rest = liveCheckpoint(h, [], 4000);
    expect(rest).toHaveLength(300 - 43);
    expect([...h.record.timers]).toEqual([]);
  });

  it("fires the same timers in the same order whether or not the bound lets a checkpoint skip them", () => {
    const run = (forgetBound: boolean): { ids: string[]; written: string[]; events: string[] } => {
      const h = new CoreHarness();
      h.begin();
      const reported: string[] = [];
      const written: string[] = [];
      const live = (updates: OperationUpdate[], seconds: number) => {
        if (forgetBound) h.record.timersNotBefore = undefined;
        reported.push(...liveCheckpoint(h, updates, seconds, written));
      };
      const retry = (id: string, delay: number) => step(id, "RETRY", { Error: { ErrorType: "E" }, StepOptions: { NextAttemptDelaySeconds: delay } });
      live([wait("a", "START", 10), wait("b", "START", 4), step("p", "START"), step("q", "START")], 0);
      live([retry("p", 4), wait("c", "START", 1)], 0);
      live([retry("q", 3)], 1);
      live([wait("d", "START", 3)], 1);
      live([], 3);
      live([], 4);
      live([step("p", "START"), retry("p", 1), wait("e", "START", 1)], 4);
      live([step("q", "START"), retry("q", 1), step("x", "START")], 4);
      live([], 5);
      live([wait("a", "CANCEL"), wait("f", "START", 2)], 6);
      live([], 8);
      // Due at once: a retry with no delay, beside one set earlier for the same moment.
      live([step("y", "START"), retry("y", 2)], 8);
      live([step("z", "START"), retry("z", 0)], 10);
      live([], 20);
      // Every pending timer far off: the checkpoints below skip them, and fire their own at once.
      live([wait("g", "START", 100)], 20);
      live([], 21);
      live([step("k", "START"), retry("k", 0)], 22);
      live([], 22.5);
      live([step("m", "START"), retry("m", 0), step("n", "START"), retry("n", 0)], 23);
      live([], 200);
      return { ids: reported, written, events: h.eventTypes() };
    };
    const skipping = run(false);
    expect(skipping).toEqual(run(true));
    // Retries with no delay come due in the checkpoint that sets them, in the order they were set.
    expect(skipping.written.filter((w) => w.endsWith(":READY")).slice(-3)).toEqual(["k:READY", "m:READY", "n:READY"]);
    expect(skipping.written.at(-1)).toBe("g:SUCCEEDED");
  });
});
