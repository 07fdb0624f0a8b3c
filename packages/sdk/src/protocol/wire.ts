// Checkpoint wire shapes, matching the AWS Lambda durable-execution API so that checkpoints
// written by Cairn read the same as the service's own.

/**
 * Id of the EXECUTION operation, always the first operation of an execution. Operation ids the
 * engine allocates are positional and start at "1", so "0" never collides with them.
 */
export const EXECUTION_OPERATION_ID = "0";

export const OperationType = {
  EXECUTION: "EXECUTION",
  CONTEXT: "CONTEXT",
  STEP: "STEP",
  WAIT: "WAIT",
  CALLBACK: "CALLBACK",
  CHAINED_INVOKE: "CHAINED_INVOKE",
} as const;
export type OperationType = (typeof OperationType)[keyof typeof OperationType];

export const OperationStatus = {
  STARTED: "STARTED",
  PENDING: "PENDING",
  READY: "READY",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  CANCELLED: "CANCELLED",
  TIMED_OUT: "TIMED_OUT",
  STOPPED: "STOPPED",
} as const;
export type OperationStatus = (typeof OperationStatus)[keyof typeof OperationStatus];

export const OperationAction = {
  START: "START",
  SUCCEED: "SUCCEED",
  FAIL: "FAIL",
  RETRY: "RETRY",
  CANCEL: "CANCEL",
} as const;
export type OperationAction = (typeof OperationAction)[keyof typeof OperationAction];

/** Sub-types Cairn writes; the wire field is an open string. */
export enum OperationSubType {
  STEP = "Step",
  WAIT = "Wait",
  CALLBACK = "Callback",
  RUN_IN_CHILD_CONTEXT = "RunInChildContext",
  MAP = "Map",
  MAP_ITERATION = "MapIteration",
  PARALLEL = "Parallel",
  PARALLEL_BRANCH = "ParallelBranch",
  WAIT_FOR_CALLBACK = "WaitForCallback",
  WAIT_FOR_CONDITION = "WaitForCondition",
  CHAINED_INVOKE = "ChainedInvoke",
}

export interface ErrorObject {
  ErrorMessage?: string | undefined;
  ErrorType?: string | undefined;
  ErrorData?: string | undefined;
  StackTrace?: string[] | undefined;
}

export interface ExecutionDetails {
  InputPayload?: string | undefined;
}

export interface ContextDetails {
  /** The result was too large to store: replay re-runs the children to rebuild it. */
  ReplayChildren?: boolean | undefined;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}

export interface StepDetails {
  /** Number of the current attempt (1 after the first START); a re-START after a crash keeps it. */
  Attempt?: number | undefined;
  NextAttemptTimestamp?: Date | undefined;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}

export interface WaitDetails {
  ScheduledEndTimestamp?: Date | undefined;
}

export interface CallbackDetails {
  CallbackId?: string | undefined;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
  /**
   * Cairn's service-side bookkeeping, not part of the Lambda shape (handlers never read it): when
   * a STARTED callback times out. Plain numbers, so every store persists it unchanged.
   */
  Deadlines?: CallbackDeadlines | undefined;
}

export interface CallbackDeadlines {
  /** Epoch milliseconds when the callback's overall timeout passes. */
  TimeoutAtMs?: number | undefined;
  /** The heartbeat timeout it was started with; each heartbeat moves HeartbeatDueAtMs this far. */
  HeartbeatTimeoutSeconds?: number | undefined;
  /** Epoch milliseconds by which the next heartbeat (or the completion) must arrive. */
  HeartbeatDueAtMs?: number | undefined;
}

export interface ChainedInvokeDetails {
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}

export interface Operation {
  Id: string;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType;
  SubType?: string | undefined;
  StartTimestamp: Date;
  EndTimestamp?: Date | undefined;
  Status: OperationStatus;
  ExecutionDetails?: ExecutionDetails | undefined;
  ContextDetails?: ContextDetails | undefined;
  StepDetails?: StepDetails | undefined;
  WaitDetails?: WaitDetails | undefined;
  CallbackDetails?: CallbackDetails | undefined;
  ChainedInvokeDetails?: ChainedInvokeDetails | undefined;
}

export interface ContextOptions {
  ReplayChildren?: boolean | undefined;
}
export interface StepOptions {
  NextAttemptDelaySeconds?: number | undefined;
}
export interface WaitOptions {
  WaitSeconds?: number | undefined;
}
export interface CallbackOptions {
  TimeoutSeconds?: number | undefined;
  HeartbeatTimeoutSeconds?: number | undefined;
}
export interface ChainedInvokeOptions {
  FunctionName: string | undefined;
  TenantId?: string | undefined;
}

export interface OperationUpdate {
  Id: string;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType;
  SubType?: string | undefined;
  Action: OperationAction;
  Payload?: string | undefined;
  Error?: ErrorObject | undefined;
  ContextOptions?: ContextOptions | undefined;
  StepOptions?: StepOptions | undefined;
  WaitOptions?: WaitOptions | undefined;
  CallbackOptions?: CallbackOptions | undefined;
  ChainedInvokeOptions?: ChainedInvokeOptions | undefined;
}

export interface CheckpointUpdatedExecutionState {
  Operations?: Operation[] | undefined;
  NextMarker?: string | undefined;
}

export interface CheckpointDurableExecutionRequest {
  DurableExecutionArn: string;
  CheckpointToken: string;
  Updates?: OperationUpdate[] | undefined;
  ClientToken?: string | undefined;
}

export interface CheckpointDurableExecutionResponse {
  CheckpointToken?: string | undefined;
  NewExecutionState?: CheckpointUpdatedExecutionState | undefined;
}

export interface GetDurableExecutionStateRequest {
  DurableExecutionArn: string;
  CheckpointToken: string;
  Marker?: string | undefined;
  MaxItems?: number | undefined;
}

export interface GetDurableExecutionStateResponse {
  Operations: Operation[];
  NextMarker?: string | undefined;
}
