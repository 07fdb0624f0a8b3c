// Chained invokes on the service side: what a CHAINED_INVOKE START records about its target, which
// invokes still wait for their target, and how a target's outcome completes one. Pure, like the
// rest of the core: the caller commits the returned mutation.
import type { HistoryEvent } from "../protocol/history.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import { cloneError, copyForUpdate } from "./clone.js";
import type { CoreContext } from "./core-context.js";
import { ExecutionClosedError, InvalidRequestError } from "./errors.js";
import { withChangedOutside, type ExecutionMutation, type ExecutionRecord } from "./execution-record.js";
import { errorOf, operationEvent, payloadOf } from "./history-events.js";
import { executionArnOf, executionIdOfArn, newExecutionId } from "./ids.js";
import { operationOf } from "./resident-operations.js";

/** The version recorded for a local target: whatever handler is registered now. */
export const LOCAL_EXECUTED_VERSION = "$LATEST";

/** How a chained invoke's target ended. */
export type ChainedInvokeOutcome =
  | {
      /** The target succeeded. */
      status: "SUCCEEDED";
      /** Its result, serialized. */
      result?: string | undefined;
    }
  | {
      /** The target failed, timed out or was stopped. */
      status: "FAILED" | "TIMED_OUT" | "STOPPED";
      /** Why. */
      error?: ErrorObject | undefined;
    };

/** A chained invoke whose target has not reported back yet: what a dispatcher needs to run it. */
export interface PendingChainedInvoke {
  /** The invoke operation's id in the calling execution. */
  operationId: string;
  /** The target function. */
  functionName: string;
  /** The serialized input, as the handler checkpointed it. */
  input?: string | undefined;
  /** The tenant the target runs for. */
  tenantId?: string | undefined;
  /**
   * The execution reserved for the target when the invoke started. A durable target runs as this
   * execution (name and id below), so starting it twice finds the same execution.
   */
  targetExecutionArn: string;
  /** The reserved execution's name. */
  targetExecutionName: string;
  /** The reserved execution's id. */
  targetExecutionId: string;
}

/** Target executions are named after the parent execution and the invoke's operation id. */
export function targetExecutionName(parentExecutionId: string, operationId: string): string {
  return `${parentExecutionId}.invoke-${operationId}`;
}

/** Details of a ChainedInvokeStarted event; reserves the target's execution id. */
export function chainedInvokeStartedDetails(
  parentExecutionId: string,
  operationId: string,
  functionName: string,
  payload: string | undefined,
  tenantId: string | undefined,
  ctx: CoreContext,
): NonNullable<HistoryEvent["ChainedInvokeStartedDetails"]> {
  const targetId = ctx.ids.executionId?.() ?? newExecutionId();
  const details: NonNullable<HistoryEvent["ChainedInvokeStartedDetails"]> = { FunctionName: functionName };
  if (tenantId !== undefined) details.TenantId = tenantId;
  details.Input = payloadOf(payload);
  details.ExecutedVersion = LOCAL_EXECUTED_VERSION;
  details.DurableExecutionArn = executionArnOf(targetExecutionName(parentExecutionId, operationId), targetId);
  return details;
}

/**
 * Every STARTED chained invoke of a RUNNING execution, in start order, with its target as its
 * ChainedInvokeStarted event recorded it. O(started invokes): the record keeps them.
 */
export function pendingChainedInvokesOf(record: ExecutionRecord): PendingChainedInvoke[] {
  if (record.summary.status !== "RUNNING") return [];
  const pending: PendingChainedInvoke[] = [];
  for (const [operationId, details] of record.startedInvokes) {
    const arn = details.DurableExecutionArn ?? "";
    const invoke: PendingChainedInvoke = {
      operationId,
      functionName: details.FunctionName ?? "",
      targetExecutionArn: arn,
      // The ARN was built from these two (see chainedInvokeStartedDetails).
      targetExecutionName: targetExecutionName(record.executionId, operationId),
      targetExecutionId: executionIdOfArn(arn) ?? "",
    };
    if (details.Input?.Payload !== undefined) invoke.input = details.Input.Payload;
    if (details.TenantId !== undefined) invoke.tenantId = details.TenantId;
    pending.push(invoke);
  }
  return pending;
}

const COMPLETION_EVENTS = {
  SUCCEEDED: "ChainedInvokeSucceeded",
  FAILED: "ChainedInvokeFailed",
  TIMED_OUT: "ChainedInvokeTimedOut",
  STOPPED: "ChainedInvokeStopped",
} as const;

/**
 * Completes a STARTED chained invoke with its target's outcome: the operation's new status and
 * details, the matching history event, and a wake-up so the handler is invoked to see it.
 */
export function planCompleteChainedInvoke(
  record: ExecutionRecord,
  operationId: string,
  outcome: ChainedInvokeOutcome,
  ctx: CoreContext,
): ExecutionMutation {
  const { summary } = record;
  if (summary.status !== "RUNNING") throw new ExecutionClosedError(summary.executionArn, summary.status);
  const current = operationOf(record, operationId);
  if (!current || current.Type !== "CHAINED_INVOKE") {
    throw new InvalidRequestError(
      `Execution ${summary.executionArn} has no chained invoke "${operationId}"` +
        (current ? ` (operation "${operationId}" is a ${current.Type})` : "") +
        "; complete an invoke by the operation id of its CHAINED_INVOKE operation.",
    );
  }
  if (current.Status !== "STARTED") {
    throw new InvalidRequestError(
      `Chained invoke "${operationId}" of ${summary.executionArn} is already ${current.Status}; it completes only once.`,
    );
  }
  const eventType = COMPLETION_EVENTS[outcome?.status];
  if (eventType === undefined) {
    throw new InvalidRequestError(
      `A chained invoke's outcome status must be SUCCEEDED, FAILED, TIMED_OUT or STOPPED, got ${String(outcome?.status)}.`,
    );
  }
  const now = new Date(ctx.now.getTime());
  const op: Operation = copyForUpdate(current);
  op.Status = outcome.status;
  op.EndTimestamp = now;
  let event: HistoryEvent;
  const eventId = record.eventCount + 1;
  if (outcome.status === "SUCCEEDED") {
    if (outcome.result !== undefined && typeof outcome.result !== "string") {
      throw new InvalidRequestError("A chained invoke's result must be a serialized (JSON) string.");
    }
    op.ChainedInvokeDetails = outcome.result === undefined ? {} : { Result: outcome.result };
    event = operationEvent(eventType, op, eventId, now, "ChainedInvokeSucceededDetails", { Result: payloadOf(outcome.result) });
  } else {
    const error = cloneError(outcome.error);
    op.ChainedInvokeDetails = error === undefined ? {} : { Error: error };
    const key =
      outcome.status === "FAILED"
        ? "ChainedInvokeFailedDetails"
        : outcome.status === "TIMED_OUT"
          ? "ChainedInvokeTimedOutDetails"
          : "ChainedInvokeStoppedDetails";
    event = operationEvent(eventType, op, eventId, now, key, { Error: errorOf(error) });
  }
  const mutation: ExecutionMutation = { seq: record.seq + 1, operations: [op], events: [event], wakePending: true };
  // A running invocation hears of it in its next checkpoint response.
  const invocation = withChangedOutside(record, [operationId]);
  if (invocation) mutation.invocation = invocation;
  return mutation;
}
