import { describe, expect, it } from "vitest";
import { VirtualClock } from "./clock.js";
import { InvocationStatus } from "../protocol/invocation.js";
import { CheckpointService } from "./checkpoint-service.js";
import { MemoryExecutionStore } from "./memory-store.js";
import { UpdatedOperationsTracker, updatedOperationIdsSince } from "./updated-operations.js";
import type { HistoryEvent } from "../protocol/history.js";

const event = (EventType: string, Id?: string): HistoryEvent =>
  ({ EventType, Id, EventId: 0, EventTimestamp: new Date(0) }) as HistoryEvent;

describe("UpdatedOperationIds", () => {
  it("are the operations with events since the last invocation ended", () => {
    const history = [
      event("ExecutionStarted", "0"),
      event("WaitStarted", "1"),
      event("WaitStarted", "2"),
      event("InvocationCompleted"),
      event("WaitSucceeded", "2"),
      event("WaitSucceeded", "1"),
    ];
    expect(updatedOperationIdsSince(history)).toEqual(["2", "1"]);
    expect(updatedOperationIdsSince(history.slice(0, 4))).toEqual([]);
    expect(updatedOperationIdsSince(history.slice(0, 1))).toEqual([]);
  });

  it("include a callback or chained invoke completed while the last invocation ran, once", () => {
    const at = (e: HistoryEvent, ms: number): HistoryEvent => ({ ...e, EventTimestamp: new Date(ms) });
    const ended = (start: number, end: number): HistoryEvent =>
      ({ ...at(event("InvocationCompleted"), end), InvocationCompletedDetails: { StartTimestamp: new Date(start) } }) as HistoryEvent;
    const history = [
      at(event("ExecutionStarted", "0"), 0),
      at(event("CallbackStarted", "1"), 1),
      at(event("ChainedInvokeStarted", "2"), 1),
      at(event("CallbackSucceeded", "1"), 2), // sent while invocation 1 (from 0 to 3) still ran: it never saw it
      at(event("StepStarted", "3"), 2),
      ended(0, 3),
      at(event("ChainedInvokeSucceeded", "2"), 4),
    ];
    expect(updatedOperationIdsSince(history)).toEqual(["1", "2"]);
    // Invocation 2 (from 5) saw both; the one after it is told of neither again.
    const later = [...history, at(event("StepSucceeded", "3"), 6), ended(5, 7)];
    expect(updatedOperationIdsSince(later)).toEqual([]);
    // A completion while invocation 2 ran is, again, told to the next one.
    const again = [...history, at(event("CallbackStarted", "4"), 6), at(event("CallbackFailed", "4"), 7), ended(5, 8)];
    expect(updatedOperationIdsSince(again)).toEqual(["4"]);
  });

  it("reach the next invocation's input once a wait's timer fired", async () => {
    const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
    const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
    const { executionArn } = await service.startExecution({});
    const first = await service.beginInvocation(executionArn);
    expect(first.input.UpdatedOperationIds).toBeUndefined();
    await service.checkpoint({
      DurableExecutionArn: executionArn,
      CheckpointToken: first.input.CheckpointToken,
      Updates: [{ Id: "1", Type: "WAIT", SubType: "Wait", Action: "START", WaitOptions: { WaitSeconds: 2 } }],
    });
    await service.endInvocation(executionArn, first, { kind: "returned", output: { Status: InvocationStatus.PENDING } });
    clock.advance(2000);
    expect(await service.fireDueTimers(executionArn)).toEqual(["1"]);
    const second = await service.beginInvocation(executionArn);
    expect(second.input.UpdatedOperationIds).toEqual(["1"]);
  });

  it("kept up to date event by event, give what reading the history gives (random histories)", () => {
    const internal = ["StepStarted", "StepSucceeded", "WaitStarted", "WaitSucceeded", "ContextStarted", "CallbackStarted"];
    const external = ["CallbackSucceeded", "CallbackFailed", "CallbackTimedOut", "ChainedInvokeSucceeded", "ChainedInvokeStopped"];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const history: HistoryEvent[] = [];
      const tracker = new UpdatedOperationsTracker();
      let now = 0;
      let invocationStart: number | undefined;
      const add = (e: HistoryEvent): void => {
        history.push(e);
        tracker.observe(e, invocationStart !== undefined);
      };
      const eventAt = (type: string): HistoryEvent =>
        ({ EventType: type, Id: String(1 + random(6)), EventId: history.length + 1, EventTimestamp: new Date(now) }) as HistoryEvent;
      const closing = (start: number): HistoryEvent =>
        ({ EventType: "InvocationCompleted", EventId: history.length + 1, EventTimestamp: new Date(now), InvocationCompletedDetails: { StartTimestamp: new Date(start) } }) as HistoryEvent;
      add({ EventType: "ExecutionStarted", Id: "0", EventId: 1, EventTimestamp: new Date(now) } as HistoryEvent);
      for (let step = 0; step < 40; step++) {
        // Time stands still now and then, as under skipped time.
        if (random(3) > 0) now += random(3);
        const roll = random(10);
        if (roll === 0) {
          // An invocation begins: the one still running (crashed) is closed first.
          if (invocationStart !== undefined) add(closing(invocationStart));
          else {
            expect(tracker.current()).toEqual(updatedOperationIdsSince(history));
            compared++;
          }
          invocationStart = now;
        } else if (roll === 1 && invocationStart !== undefined) {
          const start = invocationStart;
          invocationStart = undefined;
          add(closing(start));
        } else if (roll < 5) {
          add(eventAt(external[random(external.length)] as string));
        } else if (invocationStart !== undefined || roll < 7) {
          add(eventAt(internal[random(internal.length)] as string));
        }
      }
      if (invocationStart === undefined) {
        expect(tracker.current()).toEqual(updatedOperationIdsSince(history));
        compared++;
      }
      // A record rebuilt in one go (every event applied with no invocation running) agrees too.
      const rebuilt = new UpdatedOperationsTracker();
      for (const e of history) rebuilt.observe(e, false);
      if (invocationStart === undefined) expect(rebuilt.current()).toEqual(updatedOperationIdsSince(history));
    }
    expect(compared).toBeGreaterThan(300);
  });
});
