// Pure decisions for an execution's lifecycle: creation, beginning and ending invocations.
import type { HistoryEvent } from "../protocol/history.js";
import { InvocationStatus } from "../protocol/invocation.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { nextBlock, unblocked } from "./blocked-execution.js";
import { cloneError, copyForUpdate } from "./clone.js";
import type { CoreContext } from "./core-context.js";
import { ExecutionClosedError, StaleCheckpointTokenError } from "./errors.js";
import {
  EXECUTION_OPERATION_ID,
  type ActiveInvocation,
  type ExecutionMutation,
  type ExecutionRecord,
} from "./execution-record.js";
import { errorOf, executionEvent, payloadOf } from "./history-events.js";
import { executionArnOf, invocationKeyOfToken, makeCheckpointToken } from "./ids.js";
import { pageOperations } from "./operation-paging.js";
import { assertWholeRecord } from "./resident-operations.js";
import type { ExecutionSummary, InvocationOutcome, InvocationTicket } from "./service-api.js";

export interface NewExecution {
  executionId: string;
  executionName: string;
  functionName?: string | undefined;
  input?: string | undefined;
}

/** The first mutation of every execution: summary, EXECUTION operation, ExecutionStarted. */
export function planStartExecution(params: NewExecution, ctx: CoreContext): ExecutionMutation {
  const now = new Date(ctx.now.getTime());
  const summary: ExecutionSummary = {
    executionArn: executionArnOf(params.executionName, params.executionId),
    executionName: params.executionName,
    status: "RUNNING",
    startTimestamp: now,
    invocationCount: 0,
  };
  if (params.functionName !== undefined) summary.functionName = params.functionName;
  if (params.input !== undefined) summary.input = params.input;
  const executionOp: Operation = {
    Id: EXECUTION_OPERATION_ID,
    Type: "EXECUTION",
    StartTimestamp: now,
    Status: "STARTED",
    ExecutionDetails: params.input === undefined ? {} : { InputPayload: params.input },
  };
  const started = executionEvent(
    "ExecutionStarted",
    1,
    now,
    "ExecutionStartedDetails",
    { Input: payloadOf(params.input) },
    EXECUTION_OPERATION_ID,
  );
  return { seq: 1, summary, operations: [executionOp], events: [started] };
}

function assertRunning(record: ExecutionRecord): void {
  const { summary } = record;
  if (summary.status !== "RUNNING") throw new ExecutionClosedError(summary.executionArn, summary.status);
}

export interface BeginInvocationPlan {
  mutation: ExecutionMutation;
  /** Holds copies only. */
  ticket: InvocationTicket;
}

/** Issues a fresh token (fencing off every earlier invocation) and the handler's input. */
export function planBeginInvocation(record: ExecutionRecord, ctx: CoreContext, pageSize?: number): BeginInvocationPlan {
  assertRunning(record);
  const now = new Date(ctx.now.getTime());
  const invocation: ActiveInvocation = {
    requestId: ctx.ids.requestId(),
    startTimestamp: now,
    invocationKey: ctx.ids.invocationKey(),
  };
  const checkpointToken = makeCheckpointToken(invocation.invocationKey, ctx.ids.tokenSecret());
  const summary: ExecutionSummary = { ...record.summary, invocationCount: record.summary.invocationCount + 1 };
  // An invocation that never reported its end (its process was killed, or it lost its lease) is
  // closed in the history now, so every invocation has its InvocationCompleted.
  const events: HistoryEvent[] = [];
  if (record.invocation) {
    events.push(
      executionEvent("InvocationCompleted", record.eventCount + 1, now, "InvocationCompletedDetails", {
        StartTimestamp: new Date(record.invocation.startTimestamp.getTime()),
        EndTimestamp: now,
        RequestId: record.invocation.requestId,
        Error: errorOf({
          ErrorType: "Invocation.Abandoned",
          ErrorMessage: `the invocation never reported its end (process killed or lease lost); invocation ${invocation.requestId} took over`,
        }),
      }),
    );
  }
  assertWholeRecord(record, "an invocation's initial state");
  const page = pageOperations(record, undefined, pageSize);
  const updated = record.invocation ? [] : record.updatedOperations.current();
  const ticket: InvocationTicket = {
    requestId: invocation.requestId,
    startTimestamp: new Date(now.getTime()),
    input: {
      DurableExecutionArn: record.summary.executionArn,
      CheckpointToken: checkpointToken,
      ...(updated.length > 0 ? { UpdatedOperationIds: updated } : {}),
      InitialExecutionState: {
        Operations: page.operations,
        ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
      },
    },
  };
  const mutation: ExecutionMutation = { seq: record.seq + 1, summary, checkpointToken, invocation };
  if (events.length > 0) mutation.events = events;
  // This invocation sees every change made so far.
  if (record.wakePending) mutation.wakePending = null;
  return { mutation, ticket };
}

/**
 * Reads (getExecutionState) accept any token issued to the running invocation, not only the
 * newest: the engine may page the initial state with the token it started with.
 */
export function assertReadToken(record: ExecutionRecord, token: string): void {
  const { invocation, summary } = record;
  if (!invocation || invocationKeyOfToken(token) !== invocation.invocationKey) {
    throw new StaleCheckpointTokenError(
      summary.executionArn,
      invocation ? "a newer invocation owns the execution" : "no invocation is running (it ended or was superseded)",
    );
  }
}

/**
 * Records the end of an invocation: InvocationCompleted, then — for a SUCCEEDED/FAILED output —
 * ExecutionSucceeded/ExecutionFailed, which makes the execution terminal. Crashed and PENDING
 * invocations leave it RUNNING. So does a FAILED output the orchestrator blocks on (`blockedBy`):
 * the execution is marked blocked and due again after a backoff; the next invocation that returns
 * anything else clears the mark. Either way the invocation's token stops being accepted.
 */
export function planEndInvocation(
  record: ExecutionRecord,
  ticket: InvocationTicket,
  outcome: InvocationOutcome,
  ctx: CoreContext,
): ExecutionMutation {
  assertRunning(record);
  if (record.invocation?.requestId !== ticket.requestId) {
    throw new StaleCheckpointTokenError(
      record.summary.executionArn,
      `invocation ${ticket.requestId} is not the one running (a newer invocation began, or it already ended)`,
    );
  }
  const now = new Date(ctx.now.getTime());
  let nextEventId = record.eventCount + 1;
  const events: HistoryEvent[] = [];

  let invocationError: ErrorObject | undefined;
  if (outcome.kind === "crashed") invocationError = outcome.error;
  else if (outcome.output.Status === InvocationStatus.FAILED) invocationError = outcome.output.Error;

  const completed: NonNullable<HistoryEvent["InvocationCompletedDetails"]> = {
    StartTimestamp: new Date(record.invocation.startTimestamp.getTime()),
    EndTimestamp: now,
    RequestId: ticket.requestId,
  };
  if (invocationError !== undefined) completed.Error = errorOf(invocationError);
  events.push(executionEvent("InvocationCompleted", nextEventId++, now, "InvocationCompletedDetails", completed));

  const mutation: ExecutionMutation = { seq: record.seq + 1, checkpointToken: null, invocation: null, events };
  if (outcome.kind === "returned" && outcome.blockedBy !== undefined && outcome.output.Status === InvocationStatus.FAILED) {
    // Stays RUNNING: retrying the same code diverges again, so it is due at the backoff's end only
    // (see wakeAtOf); a wake-up requested meanwhile is served then.
    mutation.summary = { ...record.summary, blocked: nextBlock(record.summary.blocked, outcome.blockedBy, now) };
    return mutation;
  }
  // A crash proves nothing about the mismatch; any returned invocation got past it.
  if (outcome.kind === "returned" && record.summary.blocked !== undefined) mutation.summary = unblocked(record.summary);
  if (outcome.kind === "crashed" || outcome.output.Status === InvocationStatus.PENDING) {
    // Yielded before its timeout with nothing else due: whoever drives the execution invokes again.
    if (outcome.kind === "returned" && outcome.yielded === true) mutation.wakePending = true;
    return mutation;
  }

  const summary: ExecutionSummary = { ...unblocked(record.summary), endTimestamp: now };
  const executionOp = copyForUpdate(record.operations.get(EXECUTION_OPERATION_ID) as Operation);
  executionOp.EndTimestamp = now;
  if (outcome.output.Status === InvocationStatus.SUCCEEDED) {
    // A result too big for the response was checkpointed with EXECUTION SUCCEED instead.
    const checkpointed = record.outcome?.status === "SUCCEEDED" ? record.outcome.result : undefined;
    const result = outcome.output.Result ?? checkpointed;
    summary.status = "SUCCEEDED";
    if (result !== undefined) summary.result = result;
    executionOp.Status = "SUCCEEDED";
    events.push(
      executionEvent(
        "ExecutionSucceeded",
        nextEventId++,
        now,
        "ExecutionSucceededDetails",
        { Result: payloadOf(result) },
        EXECUTION_OPERATION_ID,
      ),
    );
  } else {
    const checkpointed = record.outcome?.status === "FAILED" ? record.outcome.error : undefined;
    const error = cloneError(outcome.output.Error ?? checkpointed);
    summary.status = "FAILED";
    if (error !== undefined) summary.error = error;
    executionOp.Status = "FAILED";
    events.push(
      executionEvent(
        "ExecutionFailed",
        nextEventId++,
        now,
        "ExecutionFailedDetails",
        { Error: errorOf(error) },
        EXECUTION_OPERATION_ID,
      ),
    );
  }
  mutation.summary = summary;
  mutation.operations = [executionOp];
  mutation.outcome = null;
  return mutation;
}
