import type { ErrorObject } from "./wire.js";

// History events in the shape of Lambda's GetDurableExecutionHistory, so tooling and the
// conformance vectors read Cairn's history exactly as they read the service's.

export type EventType =
  | "ExecutionStarted"
  | "ExecutionSucceeded"
  | "ExecutionFailed"
  | "ExecutionTimedOut"
  | "ExecutionStopped"
  | "ContextStarted"
  | "ContextSucceeded"
  | "ContextFailed"
  | "WaitStarted"
  | "WaitSucceeded"
  | "WaitCancelled"
  | "StepStarted"
  | "StepSucceeded"
  | "StepFailed"
  | "ChainedInvokeStarted"
  | "ChainedInvokeSucceeded"
  | "ChainedInvokeFailed"
  | "ChainedInvokeTimedOut"
  | "ChainedInvokeStopped"
  | "CallbackStarted"
  | "CallbackSucceeded"
  | "CallbackFailed"
  | "CallbackTimedOut"
  | "InvocationCompleted";

/**
 * A payload in an event (the service's `EventInput` / `EventResult`). Cairn writes `Truncated`
 * on every one (always false: payloads are stored whole); `Payload` is absent when there was none.
 */
export interface EventPayload {
  Payload?: string | undefined;
  Truncated?: boolean | undefined;
}

/** The service's name for an input payload in an event. */
export type EventInput = EventPayload;
/** The service's name for a result payload in an event. */
export type EventResult = EventPayload;

/** An error in an event; like {@link EventPayload}, always written with `Truncated`. */
export interface EventError {
  Payload?: ErrorObject | undefined;
  Truncated?: boolean | undefined;
}

export interface RetryDetails {
  CurrentAttempt?: number | undefined;
  NextAttemptDelaySeconds?: number | undefined;
}

export interface HistoryEvent {
  EventType: EventType;
  SubType?: string | undefined;
  EventId: number;
  Id?: string | undefined;
  Name?: string | undefined;
  EventTimestamp: Date;
  ParentId?: string | undefined;
  ExecutionStartedDetails?: { Input?: EventPayload; ExecutionTimeout?: number } | undefined;
  ExecutionSucceededDetails?: { Result?: EventPayload } | undefined;
  ExecutionFailedDetails?: { Error?: EventError } | undefined;
  ExecutionTimedOutDetails?: { Error?: EventError } | undefined;
  ExecutionStoppedDetails?: { Error?: EventError } | undefined;
  ContextStartedDetails?: Record<string, never> | undefined;
  ContextSucceededDetails?: { Result?: EventPayload } | undefined;
  ContextFailedDetails?: { Error?: EventError } | undefined;
  WaitStartedDetails?: { Duration?: number; ScheduledEndTimestamp?: Date } | undefined;
  WaitSucceededDetails?: { Duration?: number } | undefined;
  WaitCancelledDetails?: { Error?: EventError } | undefined;
  StepStartedDetails?: Record<string, never> | undefined;
  StepSucceededDetails?: { Result?: EventPayload; RetryDetails?: RetryDetails } | undefined;
  StepFailedDetails?: { Error?: EventError; RetryDetails?: RetryDetails } | undefined;
  ChainedInvokeStartedDetails?:
    | {
        FunctionName?: string;
        TenantId?: string;
        Input?: EventPayload;
        ExecutedVersion?: string;
        /** The durable execution that runs the target (reserved even if the target is not durable). */
        DurableExecutionArn?: string;
      }
    | undefined;
  ChainedInvokeSucceededDetails?: { Result?: EventPayload } | undefined;
  ChainedInvokeFailedDetails?: { Error?: EventError } | undefined;
  ChainedInvokeTimedOutDetails?: { Error?: EventError } | undefined;
  ChainedInvokeStoppedDetails?: { Error?: EventError } | undefined;
  CallbackStartedDetails?: { CallbackId?: string; HeartbeatTimeout?: number; Timeout?: number } | undefined;
  CallbackSucceededDetails?: { Result?: EventPayload } | undefined;
  CallbackFailedDetails?: { Error?: EventError } | undefined;
  CallbackTimedOutDetails?: { Error?: EventError } | undefined;
  InvocationCompletedDetails?:
    | { StartTimestamp?: Date; EndTimestamp?: Date; RequestId?: string; Error?: EventError }
    | undefined;
}
