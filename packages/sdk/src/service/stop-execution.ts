// Pure decisions for ending an execution from outside (an operator or a client), so every store
// records STOPPED, or a deliberate FAILED, identically.
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { cloneError, copyForUpdate } from "./clone.js";
import type { CoreContext } from "./core-context.js";
import { ExecutionClosedError } from "./errors.js";
import { EXECUTION_OPERATION_ID, type ExecutionMutation, type ExecutionRecord } from "./execution-record.js";
import { unblocked } from "./blocked-execution.js";
import { errorOf, executionEvent } from "./history-events.js";
import type { ExecutionSummary } from "./service-api.js";

/**
 * Makes a RUNNING execution STOPPED: ExecutionStopped is appended, the EXECUTION operation becomes
 * STOPPED and the running invocation (if any) loses its token, so nothing it sends afterwards is
 * recorded. An invocation that was running gets its InvocationCompleted first, so every
 * invocation in the history still has one. Stopping an ended execution throws ExecutionClosedError.
 */
export function planStopExecution(
  record: ExecutionRecord,
  error: ErrorObject | undefined,
  ctx: CoreContext,
): ExecutionMutation {
  return planEndFromOutside(record, "STOPPED", error, ctx);
}

/**
 * Makes a RUNNING execution FAILED on purpose (an operator gives up on it, e.g. one blocked by a
 * replay mismatch): ExecutionFailed is appended with `error`, and otherwise it ends exactly as
 * {@link planStopExecution} does. Failing an ended execution throws ExecutionClosedError.
 */
export function planFailExecution(
  record: ExecutionRecord,
  error: ErrorObject | undefined,
  ctx: CoreContext,
): ExecutionMutation {
  return planEndFromOutside(record, "FAILED", error, ctx);
}

function planEndFromOutside(
  record: ExecutionRecord,
  status: "STOPPED" | "FAILED",
  error: ErrorObject | undefined,
  ctx: CoreContext,
): ExecutionMutation {
  const { summary } = record;
  if (summary.status !== "RUNNING") throw new ExecutionClosedError(summary.executionArn, summary.status);
  const now = new Date(ctx.now.getTime());
  let nextEventId = record.eventCount + 1;
  const events = [];
  if (record.invocation) {
    events.push(
      executionEvent("InvocationCompleted", nextEventId++, now, "InvocationCompletedDetails", {
        StartTimestamp: new Date(record.invocation.startTimestamp.getTime()),
        EndTimestamp: now,
        RequestId: record.invocation.requestId,
        Error: errorOf(
          status === "STOPPED"
            ? { ErrorType: "Execution.Stopped", ErrorMessage: "the execution was stopped while this invocation ran" }
            : { ErrorType: "Execution.Failed", ErrorMessage: "the execution was failed from outside while this invocation ran" },
        ),
      }),
    );
  }
  const endError = cloneError(error);
  events.push(
    status === "STOPPED"
      ? executionEvent("ExecutionStopped", nextEventId++, now, "ExecutionStoppedDetails", { Error: errorOf(endError) }, EXECUTION_OPERATION_ID)
      : executionEvent("ExecutionFailed", nextEventId++, now, "ExecutionFailedDetails", { Error: errorOf(endError) }, EXECUTION_OPERATION_ID),
  );
  const ended: ExecutionSummary = { ...unblocked(summary), status, endTimestamp: now };
  if (endError !== undefined) ended.error = endError;
  const executionOp = copyForUpdate(record.operations.get(EXECUTION_OPERATION_ID) as Operation);
  executionOp.Status = status;
  executionOp.EndTimestamp = now;
  return {
    seq: record.seq + 1,
    summary: ended,
    checkpointToken: null,
    invocation: null,
    outcome: null,
    wakePending: record.wakePending ? null : undefined,
    operations: [executionOp],
    events,
  };
}
