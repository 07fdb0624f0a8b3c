// Rebuilds an execution's operations from its history, for a runner that can read only the
// history (the cloud runner: GetDurableExecutionHistory is the API that lists every operation
// with its events). Each event moves its operation to the status the event reports.
import type { ErrorObject, EventType, HistoryEvent, Operation, OperationStatus, OperationType } from "@cairn/sdk";

type DetailsKey = "ExecutionDetails" | "ContextDetails" | "StepDetails" | "WaitDetails" | "CallbackDetails" | "ChainedInvokeDetails";

interface EventKind {
  type: OperationType;
  status: OperationStatus;
  details: DetailsKey;
  /** The event starts the operation (sets StartTimestamp) or ends it (sets EndTimestamp). */
  phase: "start" | "end";
}

const kind = (type: OperationType, details: DetailsKey, status: OperationStatus, phase: "start" | "end"): EventKind => ({
  type,
  status,
  details,
  phase,
});

const KINDS: Readonly<Record<Exclude<EventType, "InvocationCompleted">, EventKind>> = {
  ExecutionStarted: kind("EXECUTION", "ExecutionDetails", "STARTED", "start"),
  ExecutionSucceeded: kind("EXECUTION", "ExecutionDetails", "SUCCEEDED", "end"),
  ExecutionFailed: kind("EXECUTION", "ExecutionDetails", "FAILED", "end"),
  ExecutionTimedOut: kind("EXECUTION", "ExecutionDetails", "TIMED_OUT", "end"),
  ExecutionStopped: kind("EXECUTION", "ExecutionDetails", "STOPPED", "end"),
  ContextStarted: kind("CONTEXT", "ContextDetails", "STARTED", "start"),
  ContextSucceeded: kind("CONTEXT", "ContextDetails", "SUCCEEDED", "end"),
  ContextFailed: kind("CONTEXT", "ContextDetails", "FAILED", "end"),
  WaitStarted: kind("WAIT", "WaitDetails", "STARTED", "start"),
  WaitSucceeded: kind("WAIT", "WaitDetails", "SUCCEEDED", "end"),
  WaitCancelled: kind("WAIT", "WaitDetails", "CANCELLED", "end"),
  StepStarted: kind("STEP", "StepDetails", "STARTED", "start"),
  StepSucceeded: kind("STEP", "StepDetails", "SUCCEEDED", "end"),
  StepFailed: kind("STEP", "StepDetails", "FAILED", "end"),
  ChainedInvokeStarted: kind("CHAINED_INVOKE", "ChainedInvokeDetails", "STARTED", "start"),
  ChainedInvokeSucceeded: kind("CHAINED_INVOKE", "ChainedInvokeDetails", "SUCCEEDED", "end"),
  ChainedInvokeFailed: kind("CHAINED_INVOKE", "ChainedInvokeDetails", "FAILED", "end"),
  ChainedInvokeTimedOut: kind("CHAINED_INVOKE", "ChainedInvokeDetails", "TIMED_OUT", "end"),
  ChainedInvokeStopped: kind("CHAINED_INVOKE", "ChainedInvokeDetails", "STOPPED", "end"),
  CallbackStarted: kind("CALLBACK", "CallbackDetails", "STARTED", "start"),
  CallbackSucceeded: kind("CALLBACK", "CallbackDetails", "SUCCEEDED", "end"),
  CallbackFailed: kind("CALLBACK", "CallbackDetails", "FAILED", "end"),
  CallbackTimedOut: kind("CALLBACK", "CallbackDetails", "TIMED_OUT", "end"),
};

/** The execution's end events: the last one in a history means the execution is over. */
export function isExecutionEnd(event: HistoryEvent | undefined): boolean {
  const k = event && event.EventType !== "InvocationCompleted" ? KINDS[event.EventType] : undefined;
  return k?.type === "EXECUTION" && k.phase === "end";
}

/** The operations the history describes, in order of first appearance, the EXECUTION included. */
export function operationsFromHistory(events: readonly HistoryEvent[]): Operation[] {
  const operations = new Map<string, Operation>();
  for (const event of events) {
    if (event.EventType === "InvocationCompleted") continue;
    const k = KINDS[event.EventType];
    // Events of a type this version does not know (the service may add some) are skipped.
    if (k === undefined || event.Id === undefined) continue;
    const previous = operations.get(event.Id);
    const op: Operation = previous ?? {
      Id: event.Id,
      Type: k.type,
      StartTimestamp: event.EventTimestamp,
      Status: k.status,
      ...(event.ParentId !== undefined ? { ParentId: event.ParentId } : {}),
      ...(event.Name !== undefined ? { Name: event.Name } : {}),
      ...(event.SubType !== undefined ? { SubType: event.SubType } : {}),
    };
    op.Status = k.status;
    if (k.phase === "start") {
      op.StartTimestamp = event.EventTimestamp;
      delete op.EndTimestamp;
    } else {
      op.EndTimestamp = event.EventTimestamp;
    }
    applyDetails(op, k, event);
    operations.set(event.Id, op);
  }
  return [...operations.values()];
}

function applyDetails(op: Operation, k: EventKind, event: HistoryEvent): void {
  const found = eventDetails(event);
  const result = found?.Result?.Payload ?? found?.Input?.Payload;
  const error = found?.Error?.Payload;
  const merge = (values: Record<string, unknown>): void => {
    const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    if (Object.keys(defined).length > 0) Object.assign(op, { [k.details]: { ...op[k.details], ...defined } });
  };
  if (k.type === "EXECUTION") {
    merge({ InputPayload: event.ExecutionStartedDetails?.Input?.Payload });
    return;
  }
  merge({ Result: result, Error: error });
  switch (k.type) {
    case "STEP": {
      const retry = (event.StepSucceededDetails ?? event.StepFailedDetails)?.RetryDetails;
      const delay = retry?.NextAttemptDelaySeconds;
      merge({
        Attempt: retry?.CurrentAttempt,
        NextAttemptTimestamp: delay === undefined ? undefined : new Date(event.EventTimestamp.getTime() + delay * 1000),
      });
      // An attempt that failed (or a condition check that asked for another) with a next attempt
      // scheduled: the step waits for it, as PENDING; it has not ended.
      if (delay !== undefined) {
        op.Status = "PENDING";
        delete op.EndTimestamp;
      }
      break;
    }
    case "WAIT":
      merge({ ScheduledEndTimestamp: event.WaitStartedDetails?.ScheduledEndTimestamp });
      break;
    case "CALLBACK":
      merge({ CallbackId: event.CallbackStartedDetails?.CallbackId });
      break;
  }
}

interface AnyDetails {
  Result?: { Payload?: string | undefined } | undefined;
  Input?: { Payload?: string | undefined } | undefined;
  Error?: { Payload?: ErrorObject | undefined } | undefined;
}

function eventDetails(event: HistoryEvent): AnyDetails | undefined {
  const key = `${event.EventType}Details` as keyof HistoryEvent;
  return event[key] as AnyDetails | undefined;
}
