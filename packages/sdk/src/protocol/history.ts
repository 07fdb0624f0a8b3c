import type { ErrorObject } from "./wire.js";

// History events in the shape of Lambda's GetDurableExecutionHistory, so tooling and the
// conformance vectors read Cairn's history exactly as they read the service's.

/** The kinds of history event: one per operation transition, plus one per finished invocation. */
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
  /** The payload text. */
  Payload?: string | undefined;
  /** Whether the payload was cut short (never, in Cairn). */
  Truncated?: boolean | undefined;
}

/** The service's name for an input payload in an event. */
export type EventInput = EventPayload;
/** The service's name for a result payload in an event. */
export type EventResult = EventPayload;

/** An error in an event; like {@link EventPayload}, always written with `Truncated`. */
export interface EventError {
  /** The error. */
  Payload?: ErrorObject | undefined;
  /** Whether it was cut short (never, in Cairn). */
  Truncated?: boolean | undefined;
}

/** Which attempt a step event belongs to, and when the next one runs. */
export interface RetryDetails {
  /** The attempt this event reports (1-based). */
  CurrentAttempt?: number | undefined;
  /** Seconds until the next attempt, when a retry is scheduled. */
  NextAttemptDelaySeconds?: number | undefined;
}

/**
 * One event of an execution's history, in the shape of Lambda's GetDurableExecutionHistory. Exactly
 * one `...Details` field is set, the one named after `EventType`.
 */
export interface HistoryEvent {
  /** What happened. */
  EventType: EventType;
  /** The operation's sub-type, e.g. `"Map"`. */
  SubType?: string | undefined;
  /** 1-based position of the event in the history. */
  EventId: number;
  /** The operation's id. */
  Id?: string | undefined;
  /** The operation's name. */
  Name?: string | undefined;
  /** When it happened. */
  EventTimestamp: Date;
  /** The enclosing context's id. */
  ParentId?: string | undefined;
  /** The execution started. */
  ExecutionStartedDetails?: {
    /** The input event. */
    Input?: EventPayload;
    /** The execution timeout, in seconds. */
    ExecutionTimeout?: number;
  } | undefined;
  /** The execution succeeded. */
  ExecutionSucceededDetails?: {
    /** The serialized result. */
    Result?: EventPayload;
  } | undefined;
  /** The execution failed. */
  ExecutionFailedDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** The execution timed out. */
  ExecutionTimedOutDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** The execution was stopped. */
  ExecutionStoppedDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** A context started. */
  ContextStartedDetails?: Record<string, never> | undefined;
  /** A context succeeded. */
  ContextSucceededDetails?: {
    /** The serialized result. */
    Result?: EventPayload;
  } | undefined;
  /** A context failed. */
  ContextFailedDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** A wait started. */
  WaitStartedDetails?: {
    /** The wait's length, in seconds. */
    Duration?: number;
    /** When it ends. */
    ScheduledEndTimestamp?: Date;
  } | undefined;
  /** A wait ended. */
  WaitSucceededDetails?: {
    /** The wait's length, in seconds. */
    Duration?: number;
  } | undefined;
  /** A wait was cancelled. */
  WaitCancelledDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** A step attempt started. */
  StepStartedDetails?: Record<string, never> | undefined;
  /** A step succeeded. */
  StepSucceededDetails?: {
    /** The serialized result. */
    Result?: EventPayload;
    /** The attempt. */
    RetryDetails?: RetryDetails;
  } | undefined;
  /** A step attempt failed (retried or final). */
  StepFailedDetails?: {
    /** The attempt's error. */
    Error?: EventError;
    /** The attempt, and the next one's delay when retried. */
    RetryDetails?: RetryDetails;
  } | undefined;
  /** An invoke started. */
  ChainedInvokeStartedDetails?:
    | {
        /** The target function. */
        FunctionName?: string;
        /** The tenant it runs for. */
        TenantId?: string;
        /** The input sent. */
        Input?: EventPayload;
        /** The target version that ran. */
        ExecutedVersion?: string;
        /** The durable execution that runs the target (reserved even if the target is not durable). */
        DurableExecutionArn?: string;
      }
    | undefined;
  /** An invoke succeeded. */
  ChainedInvokeSucceededDetails?: {
    /** The serialized result. */
    Result?: EventPayload;
  } | undefined;
  /** An invoke failed. */
  ChainedInvokeFailedDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** An invoke timed out. */
  ChainedInvokeTimedOutDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** An invoke was stopped. */
  ChainedInvokeStoppedDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** A callback was created. */
  CallbackStartedDetails?: {
    /** The id the external system completes it with. */
    CallbackId?: string;
    /** The heartbeat timeout, in seconds. */
    HeartbeatTimeout?: number;
    /** The overall timeout, in seconds. */
    Timeout?: number;
  } | undefined;
  /** A callback was completed with success. */
  CallbackSucceededDetails?: {
    /** The serialized result. */
    Result?: EventPayload;
  } | undefined;
  /** A callback was completed with failure. */
  CallbackFailedDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** A callback timed out. */
  CallbackTimedOutDetails?: {
    /** The error. */
    Error?: EventError;
  } | undefined;
  /** An invocation ended. */
  InvocationCompletedDetails?:
    | {
        /** When the invocation started. */
        StartTimestamp?: Date;
        /** When it ended. */
        EndTimestamp?: Date;
        /** Its request id. */
        RequestId?: string;
        /** Its error, when the handler failed. */
        Error?: EventError;
      }
    | undefined;
}
