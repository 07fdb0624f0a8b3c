// The JSON the web view reads: what the server's API returns and what `inspect --html` embeds.
// Shared by the server (Node) and the page (browser), so it imports nothing: timestamps are ISO
// strings here, as JSON carries them.

/** An execution's status, as the service reports it. */
export type ExecutionStatusName = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";

/** An error as the service stores it. */
export interface ErrorJson {
  /** The error's type, e.g. "TypeError". */
  ErrorType?: string;
  /** Its message. */
  ErrorMessage?: string;
  /** Extra data, serialized. */
  ErrorData?: string;
  /** Stack lines, when recorded. */
  StackTrace?: string[];
}

/** One row of the executions list. */
export interface ExecutionListItem {
  /** The short id (the ULID at the end of the ARN). */
  id: string;
  /** The execution's ARN. */
  executionArn: string;
  /** Its name (its id when none was given). */
  executionName: string;
  /** Where it is. */
  status: ExecutionStatusName;
  /** When it started (ISO). */
  startTimestamp: string;
  /** When it ended (ISO), if it has. */
  endTimestamp?: string | undefined;
  /** Invocations begun so far. */
  invocationCount: number;
  /** The handler module the CLI ran it with, when known. */
  handler?: string | undefined;
  /** Set while RUNNING but blocked on a replay mismatch: the diverging operation's id. */
  blockedAt?: string | undefined;
}

/** One operation as stored, with timestamps as ISO strings. */
export interface OperationJson {
  /** Positional id ("1", "3-2"). */
  Id: string;
  /** The enclosing context's id. */
  ParentId?: string;
  /** The name given in the handler. */
  Name?: string;
  /** STEP, WAIT, CALLBACK, CONTEXT, CHAINED_INVOKE, EXECUTION. */
  Type: string;
  /** Which call made it, e.g. "Map". */
  SubType?: string;
  /** When it started. */
  StartTimestamp: string;
  /** When it finished. */
  EndTimestamp?: string;
  /** Where it is now. */
  Status: string;
  /** The type-specific details (`StepDetails`, `WaitDetails`, `CallbackDetails`, ...). */
  StepDetails?: { Attempt?: number; NextAttemptTimestamp?: string; Result?: string; Error?: ErrorJson };
  /** For a WAIT. */
  WaitDetails?: { ScheduledEndTimestamp?: string };
  /** For a CALLBACK. */
  CallbackDetails?: { CallbackId?: string; Result?: string; Error?: ErrorJson };
  /** For a CONTEXT. */
  ContextDetails?: { Result?: string; Error?: ErrorJson; ReplayChildren?: boolean };
  /** For a CHAINED_INVOKE. */
  ChainedInvokeDetails?: { Result?: string; Error?: ErrorJson };
  /** For the EXECUTION. */
  ExecutionDetails?: { InputPayload?: string };
}

/** One history event, with timestamps as ISO strings; its `<EventType>Details` field is kept as stored. */
export interface HistoryEventJson {
  /** What happened, e.g. "StepFailed". */
  EventType: string;
  /** The operation's sub-type. */
  SubType?: string;
  /** 1-based position in the history. */
  EventId: number;
  /** The operation's id. */
  Id?: string;
  /** The operation's name. */
  Name?: string;
  /** When it happened. */
  EventTimestamp: string;
  /** The enclosing context's id. */
  ParentId?: string;
  /** The details field named after the event type, and nothing else. */
  [details: string]: unknown;
}

/** One invocation of the handler, from its InvocationCompleted event. */
export interface InvocationJson {
  /** When it began (ISO). */
  start: string;
  /** When it ended (ISO). */
  end: string;
  /** Its request id. */
  requestId?: string | undefined;
  /** Set when the handler failed in it. */
  error?: ErrorJson | undefined;
}

/** A callback of the execution, with the id to answer it by. */
export interface CallbackJson {
  /** The CALLBACK operation's id. */
  operationId: string;
  /** Its name, or the enclosing waitForCallback's. */
  name?: string | undefined;
  /** STARTED while it waits. */
  status: string;
  /** The id an external system answers it with. */
  callbackId?: string | undefined;
}

/** Everything the execution view shows. */
export interface ExecutionView extends ExecutionListItem {
  /** The input event (decoded for display). */
  input?: unknown;
  /** The result when SUCCEEDED (decoded for display). */
  result?: unknown;
  /** The error when it FAILED, TIMED_OUT or was STOPPED. */
  error?: ErrorJson | undefined;
  /** Why it is blocked, when it is. */
  blockedMessage?: string | undefined;
  /** Every operation as stored (the EXECUTION operation included). */
  operations: OperationJson[];
  /**
   * The history events, in order: every one when `historyComplete` is true; for a large execution
   * only those the timeline draws from (execution events, and the events of steps that retried or
   * have not succeeded) — the page reads one operation's events when it is opened.
   */
  history: HistoryEventJson[];
  /** Whether `history` holds every event. */
  historyComplete: boolean;
  /** How many events the execution's history has in all. */
  historyEventCount: number;
  /** The completed invocations, in order. */
  invocations: InvocationJson[];
  /** The callbacks, with their ids. */
  callbacks: CallbackJson[];
  /** The operation tree as `cairn inspect` prints it (plain text lines). */
  treeLines: string[];
  /** The server's time when this was read (ISO): running bars extend to it. */
  now: string;
}

/** What `GET /api/executions/:id/operations/:operationId` answers: one operation's history events. */
export interface OperationHistoryJson {
  /** The operation's id. */
  operationId: string;
  /** Its events, in order. */
  events: HistoryEventJson[];
}

/** What `POST /api/callbacks/:id/:action` answers on success. */
export interface CallbackActionResult {
  /** "succeed", "fail" or "heartbeat". */
  action: string;
  /** The callback answered. */
  callbackId: string;
  /** Its execution's short id. */
  executionId: string;
  /** The CALLBACK operation's id. */
  operationId: string;
}

/** The body of every error response of the API. */
export interface ApiErrorBody {
  /** What went wrong, for a person. */
  error: string;
  /** A machine-readable name, e.g. "CallbackNotFoundError". */
  code: string;
}
