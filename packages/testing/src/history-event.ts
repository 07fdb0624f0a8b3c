// History events as a test reads them: the service's shape (`Event` of GetDurableExecutionHistory
// in @aws-sdk/client-lambda), with the members that shape declares required declared required
// here too, so `const events: Event[] = result.getHistoryEvents()` compiles in a ported test. The
// type is also assignable to @cairn/sdk's HistoryEvent. Checked by history-event-types.test.ts.
import type { ErrorObject, EventType, HistoryEvent as ServiceHistoryEvent, RetryDetails } from "@cairn/sdk";

/** A payload in an event (the service's `EventInput` / `EventResult`). */
export interface EventPayloadDetails {
  Payload?: string | undefined;
  Truncated?: boolean | undefined;
}

/** An error in an event (the service's `EventError`). */
export interface EventErrorDetails {
  Payload?: ErrorObject | undefined;
  Truncated?: boolean | undefined;
}

/** Details of an event that carries a result payload. */
export interface EventResultDetails {
  Result: EventPayloadDetails | undefined;
}

/** Details of an event that carries an error. */
export interface EventFailureDetails {
  Error: EventErrorDetails | undefined;
}

/** Details of an event with nothing to add (`ContextStarted`, `StepStarted`). */
export type EmptyEventDetails = Record<string, never>;

/**
 * One event of an execution's history, in the shape of GetDurableExecutionHistory's `Event`.
 * Exactly one `*Details` member is set, the one named after `EventType`.
 */
export interface HistoryEvent {
  EventType: EventType;
  SubType?: string | undefined;
  /** 1-based position in the history. */
  EventId: number;
  Id?: string | undefined;
  Name?: string | undefined;
  EventTimestamp: Date;
  ParentId?: string | undefined;
  ExecutionStartedDetails?: { Input: EventPayloadDetails | undefined; ExecutionTimeout: number | undefined } | undefined;
  ExecutionSucceededDetails?: EventResultDetails | undefined;
  ExecutionFailedDetails?: EventFailureDetails | undefined;
  ExecutionTimedOutDetails?: { Error?: EventErrorDetails | undefined } | undefined;
  ExecutionStoppedDetails?: EventFailureDetails | undefined;
  ContextStartedDetails?: EmptyEventDetails | undefined;
  ContextSucceededDetails?: EventResultDetails | undefined;
  ContextFailedDetails?: EventFailureDetails | undefined;
  WaitStartedDetails?: { Duration: number | undefined; ScheduledEndTimestamp: Date | undefined } | undefined;
  WaitSucceededDetails?: { Duration?: number | undefined } | undefined;
  WaitCancelledDetails?: { Error?: EventErrorDetails | undefined } | undefined;
  StepStartedDetails?: EmptyEventDetails | undefined;
  StepSucceededDetails?: (EventResultDetails & { RetryDetails: RetryDetails | undefined }) | undefined;
  StepFailedDetails?: (EventFailureDetails & { RetryDetails: RetryDetails | undefined }) | undefined;
  ChainedInvokeStartedDetails?:
    | {
        FunctionName: string | undefined;
        TenantId?: string | undefined;
        Input?: EventPayloadDetails | undefined;
        ExecutedVersion?: string | undefined;
        DurableExecutionArn?: string | undefined;
      }
    | undefined;
  ChainedInvokeSucceededDetails?: EventResultDetails | undefined;
  ChainedInvokeFailedDetails?: EventFailureDetails | undefined;
  ChainedInvokeTimedOutDetails?: EventFailureDetails | undefined;
  ChainedInvokeStoppedDetails?: EventFailureDetails | undefined;
  CallbackStartedDetails?:
    | { CallbackId: string | undefined; HeartbeatTimeout?: number | undefined; Timeout?: number | undefined }
    | undefined;
  CallbackSucceededDetails?: EventResultDetails | undefined;
  CallbackFailedDetails?: EventFailureDetails | undefined;
  CallbackTimedOutDetails?: EventFailureDetails | undefined;
  InvocationCompletedDetails?:
    | {
        StartTimestamp: Date | undefined;
        EndTimestamp: Date | undefined;
        RequestId: string | undefined;
        Error?: EventErrorDetails | undefined;
      }
    | undefined;
}

/**
 * The service's events typed as a test reads them. The service writes every member the shape
 * requires whenever it writes the details object; a member with no value is left out, which
 * reads as the `undefined` the shape allows.
 */
export function asHistoryEvents(events: readonly ServiceHistoryEvent[]): HistoryEvent[] {
  return events as ServiceHistoryEvent[] as HistoryEvent[];
}
