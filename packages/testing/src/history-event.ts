// History events as a test reads them: the service's shape (`Event` of GetDurableExecutionHistory
// in @aws-sdk/client-lambda), with the members that shape declares required declared required
// here too, so `const events: Event[] = result.getHistoryEvents()` compiles in a ported test. The
// type is also assignable to @cairn/sdk's HistoryEvent. Checked by history-event-types.test.ts.
import type { ErrorObject, EventType, HistoryEvent as ServiceHistoryEvent, RetryDetails } from "@cairn/sdk";

/** A payload in an event (the service's `EventInput` / `EventResult`). */
export interface EventPayloadDetails {
  /** The payload as stored: the serialized text (JSON with the default serdes). */
  Payload?: string | undefined;
  /** Whether the service cut the payload short; Cairn stores payloads whole and writes `false`. */
  Truncated?: boolean | undefined;
}

/** An error in an event (the service's `EventError`). */
export interface EventErrorDetails {
  /** The error as recorded, with its stack frames (and Cairn's cause chain) in `StackTrace`. */
  Payload?: ErrorObject | undefined;
  /** Whether the service cut the error short; Cairn stores errors whole and writes `false`. */
  Truncated?: boolean | undefined;
}

/** Details of an event that carries a result payload. */
export interface EventResultDetails {
  /** The result the operation or execution produced. */
  Result: EventPayloadDetails | undefined;
}

/** Details of an event that carries an error. */
export interface EventFailureDetails {
  /** The error the operation or execution ended with. */
  Error: EventErrorDetails | undefined;
}

/** Details of an event with nothing to add (`ContextStarted`, `StepStarted`). */
export type EmptyEventDetails = Record<string, never>;

/**
 * One event of an execution's history, in the shape of GetDurableExecutionHistory's `Event`.
 * Exactly one `*Details` member is set, the one named after `EventType`.
 *
 * @example
 * ```ts
 * const retries = result.getHistoryEvents().filter((e) => e.EventType === "StepFailed" && e.Name === "charge-card");
 * expect(retries[0]?.StepFailedDetails?.RetryDetails?.NextAttemptDelaySeconds).toBe(1);
 * ```
 */
export interface HistoryEvent {
  /** What happened, e.g. `StepStarted`, `WaitSucceeded`, `InvocationCompleted`. */
  EventType: EventType;
  /** The operation's sub-type (`Step`, `Map`, `WaitForCallback`, …); absent on execution events. */
  SubType?: string | undefined;
  /** 1-based position in the history. */
  EventId: number;
  /** The operation's id; absent on execution-level events. */
  Id?: string | undefined;
  /** The operation's name, when the handler gave it one. */
  Name?: string | undefined;
  /** When the event was recorded, on the run's clock. */
  EventTimestamp: Date;
  /** The id of the context the operation ran in; absent at the top level. */
  ParentId?: string | undefined;
  /** The execution started. */
  ExecutionStartedDetails?:
    | {
        /** The input the execution started with. */
        Input: EventPayloadDetails | undefined;
        /** The whole execution's timeout in seconds, when it has one. */
        ExecutionTimeout: number | undefined;
      }
    | undefined;
  /** The handler returned: the execution's result. */
  ExecutionSucceededDetails?: EventResultDetails | undefined;
  /** The handler threw: the execution's error. */
  ExecutionFailedDetails?: EventFailureDetails | undefined;
  /** The execution outlived its timeout. */
  ExecutionTimedOutDetails?:
    | {
        /** Why, when recorded. */
        Error?: EventErrorDetails | undefined;
      }
    | undefined;
  /** The execution was stopped from outside. */
  ExecutionStoppedDetails?: EventFailureDetails | undefined;
  /** A child context (child, map, parallel, item, branch, waitForCallback) started. */
  ContextStartedDetails?: EmptyEventDetails | undefined;
  /** A child context ended with a result. */
  ContextSucceededDetails?: EventResultDetails | undefined;
  /** A child context ended with an error. */
  ContextFailedDetails?: EventFailureDetails | undefined;
  /** A wait started. */
  WaitStartedDetails?:
    | {
        /** How long it waits, in seconds. */
        Duration: number | undefined;
        /** When it is due to end. */
        ScheduledEndTimestamp: Date | undefined;
      }
    | undefined;
  /** A wait ended on time. */
  WaitSucceededDetails?:
    | {
        /** How long it waited, in seconds. */
        Duration?: number | undefined;
      }
    | undefined;
  /** A wait was cancelled before its end. */
  WaitCancelledDetails?:
    | {
        /** Why, when recorded. */
        Error?: EventErrorDetails | undefined;
      }
    | undefined;
  /** A step attempt started. */
  StepStartedDetails?: EmptyEventDetails | undefined;
  /** A step attempt succeeded (for waitForCondition, also a check that asks for another). */
  StepSucceededDetails?:
    | (EventResultDetails & {
        /** The attempt's number, and the delay before the next one when a check asked for it. */
        RetryDetails: RetryDetails | undefined;
      })
    | undefined;
  /** A step attempt failed: retried later, or the step FAILED. */
  StepFailedDetails?:
    | (EventFailureDetails & {
        /** The attempt's number, and the delay before the next one when the step retries. */
        RetryDetails: RetryDetails | undefined;
      })
    | undefined;
  /** A chained invoke (`ctx.invoke`) started its target. */
  ChainedInvokeStartedDetails?:
    | {
        /** The function invoked, as the handler named it. */
        FunctionName: string | undefined;
        /** The tenant the invoke ran for, when given. */
        TenantId?: string | undefined;
        /** The input sent to the target; absent when the invoke had none. */
        Input?: EventPayloadDetails | undefined;
        /** The target's version that ran, when the service knows it. */
        ExecutedVersion?: string | undefined;
        /** The target's own durable execution, when it is a durable function. */
        DurableExecutionArn?: string | undefined;
      }
    | undefined;
  /** The invoked function returned: its result. */
  ChainedInvokeSucceededDetails?: EventResultDetails | undefined;
  /** The invoked function failed: its error. */
  ChainedInvokeFailedDetails?: EventFailureDetails | undefined;
  /** The invoke outlived its timeout. */
  ChainedInvokeTimedOutDetails?: EventFailureDetails | undefined;
  /** The invoked execution was stopped. */
  ChainedInvokeStoppedDetails?: EventFailureDetails | undefined;
  /** A callback was created. */
  CallbackStartedDetails?:
    | {
        /** The id an outside sender completes it with. */
        CallbackId: string | undefined;
        /** Seconds without a heartbeat after which it times out, when set. */
        HeartbeatTimeout?: number | undefined;
        /** Seconds after which it times out, when set. */
        Timeout?: number | undefined;
      }
    | undefined;
  /** The callback was completed with a result. */
  CallbackSucceededDetails?: EventResultDetails | undefined;
  /** The callback was completed with a failure. */
  CallbackFailedDetails?: EventFailureDetails | undefined;
  /** The callback timed out (overall or for lack of a heartbeat). */
  CallbackTimedOutDetails?: EventFailureDetails | undefined;
  /** One invocation of the handler ended (returned, suspended, failed or crashed). */
  InvocationCompletedDetails?:
    | {
        /** When the invocation began. */
        StartTimestamp: Date | undefined;
        /** When it ended. */
        EndTimestamp: Date | undefined;
        /** The invocation's request id (`context.awsRequestId`). */
        RequestId: string | undefined;
        /** How it failed, if it did: the execution's error, or e.g. an injected crash. */
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
