import { describe, expect, it } from "vitest";
import { VirtualClock } from "./clock.js";
import { InvocationStatus } from "../protocol/invocation.js";
import { CheckpointService } from "./checkpoint-service.js";
import { MemoryExecutionStore } from "./memory-store.js";
import { updatedOperationIdsSince } from "./updated-operations.js";
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
});
