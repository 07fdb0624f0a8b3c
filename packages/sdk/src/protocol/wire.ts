// Checkpoint wire shapes, matching the AWS Lambda durable-execution API so that checkpoints
// written by Cairn read the same as the service's own.

/**
 * Id of the EXECUTION operation, always the first operation of an execution. Operation ids the
 * engine allocates are positional and start at "1", so "0" never collides with them.
 */
export const EXECUTION_OPERATION_ID = "0";

/** Kinds of operation in a checkpoint (the wire `Type`). */
export const OperationType = {
  /** The execution itself; always id "0", holds the input. */
  EXECUTION: "EXECUTION",
  /** A child context, map, parallel, their items, waitForCallback or a promise combinator. */
  CONTEXT: "CONTEXT",
  /** A step; also a waitForCallback submitter and a waitForCondition (one attempt per check). */
  STEP: "STEP",
  /** A timed wait. */
  WAIT: "WAIT",
  /** A callback an external system completes. */
  CALLBACK: "CALLBACK",
  /** An invocation of another function (ctx.invoke). */
  CHAINED_INVOKE: "CHAINED_INVOKE",
} as const;
/** One of {@link OperationType}. */
export type OperationType = (typeof OperationType)[keyof typeof OperationType];

/** Status of an operation as the service stores it. */
export const OperationStatus = {
  /** Running (a step body, a wait, a callback not yet answered). */
  STARTED: "STARTED",
  /** A step retry is scheduled and not yet due. */
  PENDING: "PENDING",
  /** A step retry is due: the next attempt may run. */
  READY: "READY",
  /** Finished with a result. */
  SUCCEEDED: "SUCCEEDED",
  /** Finished with an error. */
  FAILED: "FAILED",
  /** Cancelled before it finished. */
  CANCELLED: "CANCELLED",
  /** A callback or invoke timed out. */
  TIMED_OUT: "TIMED_OUT",
  /** The execution was stopped while it ran. */
  STOPPED: "STOPPED",
} as const;
/** One of {@link OperationStatus}. */
export type OperationStatus = (typeof OperationStatus)[keyof typeof OperationStatus];

/** What an {@link OperationUpdate} asks the service to do to an operation. */
export const OperationAction = {
  /** Record that the operation started (with its options). */
  START: "START",
  /** Record its result (`Payload`). */
  SUCCEED: "SUCCEED",
  /** Record its error. */
  FAIL: "FAIL",
  /** A step attempt failed: schedule the next after `StepOptions.NextAttemptDelaySeconds`. */
  RETRY: "RETRY",
  /** Cancel it (Cairn cancels only WAITs: a timer no longer needed). */
  CANCEL: "CANCEL",
} as const;
/** One of {@link OperationAction}. */
export type OperationAction = (typeof OperationAction)[keyof typeof OperationAction];

/** Sub-types Cairn writes; the wire field is an open string (StepConfig.subType can set others). */
export enum OperationSubType {
  /** ctx.step. */
  STEP = "Step",
  /** ctx.wait. */
  WAIT = "Wait",
  /** ctx.createCallback, and the callback inside waitForCallback. */
  CALLBACK = "Callback",
  /** ctx.runInChildContext. */
  RUN_IN_CHILD_CONTEXT = "RunInChildContext",
  /** ctx.map and ctx.mapBatches. */
  MAP = "Map",
  /** One map item (or mapBatches chunk). */
  MAP_ITERATION = "MapIteration",
  /** ctx.parallel. */
  PARALLEL = "Parallel",
  /** One parallel branch. */
  PARALLEL_BRANCH = "ParallelBranch",
  /** ctx.waitForCallback. */
  WAIT_FOR_CALLBACK = "WaitForCallback",
  /** ctx.waitForCondition. */
  WAIT_FOR_CONDITION = "WaitForCondition",
  /** ctx.invoke. */
  CHAINED_INVOKE = "ChainedInvoke",
}

/** An error as checkpoints store it; durable errors are rebuilt from it on replay. */
export interface ErrorObject {
  /** The error's message. */
  ErrorMessage?: string | undefined;
  /** The error's name (class name), e.g. `"TypeError"`. */
  ErrorType?: string | undefined;
  /** Extra data the error carried (`errorData`), as a string. */
  ErrorData?: string | undefined;
  /** Stack lines, when recorded. */
  StackTrace?: string[] | undefined;
}

/** Details of the EXECUTION operation. */
export interface ExecutionDetails {
  /** The execution's input event, as JSON. */
  InputPayload?: string | undefined;
}

/** Details of a CONTEXT operation (child context, map, parallel, their items). */
export interface ContextDetails {
  /** The result was too large to store: replay re-runs the children to rebuild it. */
  ReplayChildren?: boolean | undefined;
  /** The serialized result, when SUCCEEDED. */
  Result?: string | undefined;
  /** The error, when FAILED. */
  Error?: ErrorObject | undefined;
}

/** Details of a STEP operation. */
export interface StepDetails {
  /** Number of the current attempt (1 after the first START); a re-START after a crash keeps it. */
  Attempt?: number | undefined;
  /** When a scheduled retry is due (status PENDING). */
  NextAttemptTimestamp?: Date | undefined;
  /** The serialized result, when SUCCEEDED. */
  Result?: string | undefined;
  /** The last attempt's error (after RETRY) or the final one (FAILED). */
  Error?: ErrorObject | undefined;
}

/** Details of a WAIT operation. */
export interface WaitDetails {
  /** When the wait ends; kept across crashes and replays. */
  ScheduledEndTimestamp?: Date | undefined;
}

/** Details of a CALLBACK operation. */
export interface CallbackDetails {
  /** The id the external system completes the callback with. */
  CallbackId?: string | undefined;
  /** The success payload, exactly as sent. */
  Result?: string | undefined;
  /** The failure sent, or the timeout. */
  Error?: ErrorObject | undefined;
  /**
   * Cairn's service-side bookkeeping, not part of the Lambda shape (handlers never read it): when
   * a STARTED callback times out. Plain numbers, so every store persists it unchanged.
   */
  Deadlines?: CallbackDeadlines | undefined;
}

/** When a STARTED callback times out (Cairn bookkeeping, see {@link CallbackDetails.Deadlines}). */
export interface CallbackDeadlines {
  /** Epoch milliseconds when the callback's overall timeout passes. */
  TimeoutAtMs?: number | undefined;
  /** The heartbeat timeout it was started with; each heartbeat moves HeartbeatDueAtMs this far. */
  HeartbeatTimeoutSeconds?: number | undefined;
  /** Epoch milliseconds by which the next heartbeat (or the completion) must arrive. */
  HeartbeatDueAtMs?: number | undefined;
}

/** Details of a CHAINED_INVOKE operation (ctx.invoke). */
export interface ChainedInvokeDetails {
  /** The target's result, as returned. */
  Result?: string | undefined;
  /** The target's error (or the timeout or stop). */
  Error?: ErrorObject | undefined;
}

/** One checkpointed operation, as the service stores and returns it. */
export interface Operation {
  /** Positional id (`"1"`, `"2-1"`); `"0"` is the EXECUTION. */
  Id: string;
  /** Id of the enclosing context, absent at the top level. */
  ParentId?: string | undefined;
  /** The name given in the handler. */
  Name?: string | undefined;
  /** What kind of operation it is. */
  Type: OperationType;
  /** Which call made it, e.g. `"Map"`; see {@link OperationSubType}. */
  SubType?: string | undefined;
  /** When it started. */
  StartTimestamp: Date;
  /** When it finished. */
  EndTimestamp?: Date | undefined;
  /** Where it is now. */
  Status: OperationStatus;
  /** For the EXECUTION. */
  ExecutionDetails?: ExecutionDetails | undefined;
  /** For a CONTEXT. */
  ContextDetails?: ContextDetails | undefined;
  /** For a STEP. */
  StepDetails?: StepDetails | undefined;
  /** For a WAIT. */
  WaitDetails?: WaitDetails | undefined;
  /** For a CALLBACK. */
  CallbackDetails?: CallbackDetails | undefined;
  /** For a CHAINED_INVOKE. */
  ChainedInvokeDetails?: ChainedInvokeDetails | undefined;
}

/**
 * A timestamp as an operation carries it before it is read: a `Date` in process, its ISO string
 * in JSON (an invocation event, an API response). {@link Operation} carries `Date`s.
 */
export type WireTimestamp = Date | string;

/** {@link StepDetails} as it arrives over the wire, its timestamp not yet read. */
export interface WireStepDetails extends Omit<StepDetails, "NextAttemptTimestamp"> {
  /** When a scheduled retry is due. */
  NextAttemptTimestamp?: WireTimestamp | undefined;
}

/** {@link WaitDetails} as it arrives over the wire, its timestamp not yet read. */
export interface WireWaitDetails {
  /** When the wait ends. */
  ScheduledEndTimestamp?: WireTimestamp | undefined;
}

/**
 * An {@link Operation} as it arrives over the wire (a Lambda invocation event, an API response),
 * its timestamps not yet read; Cairn's engine accepts either form.
 */
export interface WireOperation extends Omit<Operation, "StartTimestamp" | "EndTimestamp" | "StepDetails" | "WaitDetails"> {
  /** When it started. */
  StartTimestamp: WireTimestamp | undefined;
  /** When it finished. */
  EndTimestamp?: WireTimestamp | undefined;
  /** For a STEP. */
  StepDetails?: WireStepDetails | undefined;
  /** For a WAIT. */
  WaitDetails?: WireWaitDetails | undefined;
}

/** Options of a CONTEXT update. */
export interface ContextOptions {
  /** The result is too large to store: replay rebuilds it from the children. */
  ReplayChildren?: boolean | undefined;
}
/** Options of a STEP update. */
export interface StepOptions {
  /** With RETRY: whole seconds until the next attempt. */
  NextAttemptDelaySeconds?: number | undefined;
}
/** Options of a WAIT START. */
export interface WaitOptions {
  /** How long the wait lasts, in whole seconds. */
  WaitSeconds?: number | undefined;
}
/** Options of a CALLBACK START. */
export interface CallbackOptions {
  /** Overall timeout, in seconds. */
  TimeoutSeconds?: number | undefined;
  /** Longest gap allowed between heartbeats, in seconds. */
  HeartbeatTimeoutSeconds?: number | undefined;
}
/** Options of a CHAINED_INVOKE START. */
export interface ChainedInvokeOptions {
  /** The target function's name or ARN. */
  FunctionName: string | undefined;
  /** Tenant the target runs for. */
  TenantId?: string | undefined;
}

/** One change a checkpoint request asks for: an action on one operation. */
export interface OperationUpdate {
  /** The operation's positional id. */
  Id: string;
  /** Id of the enclosing context. */
  ParentId?: string | undefined;
  /** The name given in the handler. */
  Name?: string | undefined;
  /** The operation's kind. */
  Type: OperationType;
  /** Which call made it. */
  SubType?: string | undefined;
  /** What to record. */
  Action: OperationAction;
  /** With SUCCEED: the serialized result; with START of an invoke: its input. */
  Payload?: string | undefined;
  /** With FAIL or RETRY: the error. */
  Error?: ErrorObject | undefined;
  /** Options of a CONTEXT. */
  ContextOptions?: ContextOptions | undefined;
  /** Options of a STEP. */
  StepOptions?: StepOptions | undefined;
  /** Options of a WAIT. */
  WaitOptions?: WaitOptions | undefined;
  /** Options of a CALLBACK. */
  CallbackOptions?: CallbackOptions | undefined;
  /** Options of a CHAINED_INVOKE. */
  ChainedInvokeOptions?: ChainedInvokeOptions | undefined;
}

/**
 * Operations the service changed since the caller last saw them (a wait that ended, a callback
 * answered), one page.
 */
export interface CheckpointUpdatedExecutionState {
  /** The changed operations. */
  Operations?: Operation[] | undefined;
  /** Present when more pages follow (read them with GetDurableExecutionState). */
  NextMarker?: string | undefined;
}

/** Request of the CheckpointDurableExecution call: the updates one invocation writes. */
export interface CheckpointDurableExecutionRequest {
  /** The execution. */
  DurableExecutionArn: string;
  /** The token from the last response (or the invocation input); a stale token is refused. */
  CheckpointToken: string;
  /** The changes, in order. */
  Updates?: OperationUpdate[] | undefined;
  /** An idempotency token in the AWS shape; Cairn's service does not read it. */
  ClientToken?: string | undefined;
}

/** Response of CheckpointDurableExecution. */
export interface CheckpointDurableExecutionResponse {
  /** The token for the next checkpoint. */
  CheckpointToken?: string | undefined;
  /** What changed on the service side since the last checkpoint. */
  NewExecutionState?: CheckpointUpdatedExecutionState | undefined;
}

/** Request of GetDurableExecutionState: reads an execution's operations, one page at a time. */
export interface GetDurableExecutionStateRequest {
  /** The execution. */
  DurableExecutionArn: string;
  /** The invocation's current token. */
  CheckpointToken: string;
  /** Where the previous page ended. */
  Marker?: string | undefined;
  /** Page size. */
  MaxItems?: number | undefined;
}

/** Response of GetDurableExecutionState: one page of operations. */
export interface GetDurableExecutionStateResponse {
  /** This page of operations. */
  Operations: Operation[];
  /** Present when more pages follow. */
  NextMarker?: string | undefined;
}
