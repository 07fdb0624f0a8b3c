// Pure decision for stopping an execution from outside (an operator or a client), so every store
// records STOPPED identically.
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { cloneError, copyForUpdate } from "./clone.js";
import type { CoreContext } from "./core-context.js";
import { ExecutionClosedError } from "./errors.js";
import { EXECUTION_OPERATION_ID, type ExecutionMutation, type ExecutionRecord } from "./execution-record.js";
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
  const { summary } = record;
  if (summary.status !== "RUNNING") throw new ExecutionClosedError(summary.executionArn, summary.status);
  const now = new Date(ctx.now.getTime());
  let nextEventId = record.history.length + 1;
  const events = [];
  if (record.invocation) {
    events.push(
      executionEvent("InvocationCompleted", nextEventId++, now, "InvocationCompletedDetails", {
        StartTimestamp: new Date(record.invocation.startTimestamp.getTime()),
        EndTimestamp: now,
        RequestId: record.invocation.requestId,
        Error: errorOf({ ErrorType: "Execution.Stopped", ErrorMessage: "the execution was stopped while this invocation ran" }),
      }),
    );
  }
  const stopError = cloneError(error);
  events.push(
    executionEvent(
      "ExecutionStopped",
      nextEventId++,
      now,
      "ExecutionStoppedDetails",
      { Error: errorOf(stopError) },
      EXECUTION_OPERATION_ID,
    ),
  );
  const stopped: ExecutionSummary = { ...summary, status: "STOPPED", endTimestamp: now };
  if (stopError !== undefined) stopped.error = stopError;
  const executionOp = copyForUpdate(record.operations.get(EXECUTION_OPERATION_ID) as Operation);
  executionOp.Status = "STOPPED";
  executionOp.EndTimestamp = now;
  return {
    seq: record.seq + 1,
    summary: stopped,
    checkpointToken: null,
    invocation: null,
    outcome: null,
    wakePending: record.wakePending ? null : undefined,
    operations: [executionOp],
    events,
  };
}
