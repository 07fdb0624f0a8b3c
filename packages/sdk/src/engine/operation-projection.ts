import { OperationType, type Operation, type OperationUpdate } from "../protocol/wire.js";
import type { CheckpointedOperation } from "./checkpointed-operations.js";

/**
 * The operation as a stored update leaves it, projected on the client. The checkpoint service
 * answers a checkpoint only with what it assigns itself (a callback's id), so when plugins need
 * an operation's status, result, error, attempt and timestamps after this invocation changed it,
 * the engine derives them from the update it just had acknowledged. Timestamps are the client's
 * clock at acknowledgement; the service's own appear on the next invocation's state.
 */
export function projectUpdate(previous: CheckpointedOperation | undefined, update: OperationUpdate, now: Date): CheckpointedOperation {
  // Copied by assignment, not spread: properties are added below, and on V8 that gives a spread
  // copy a hidden class of its own (see copyForUpdate in the service).
  const op: CheckpointedOperation = previous
    ? Object.assign({}, previous)
    : { Id: update.Id, Type: update.Type, StartTimestamp: now, Status: "STARTED" };
  if (update.ParentId !== undefined) op.ParentId = update.ParentId;
  if (update.Name !== undefined) op.Name = update.Name;
  if (update.SubType !== undefined) op.SubType = update.SubType;
  const finish = (status: Operation["Status"]): void => {
    op.Status = status;
    op.EndTimestamp = now;
  };
  switch (update.Action) {
    case "START":
      op.Status = "STARTED";
      break;
    case "SUCCEED":
      finish("SUCCEEDED");
      break;
    case "FAIL":
      finish("FAILED");
      break;
    case "CANCEL":
      finish("CANCELLED");
      break;
    case "RETRY":
      op.Status = "PENDING";
      break;
  }
  if (update.Type === OperationType.STEP) {
    const details = Object.assign({}, op.StepDetails);
    if (update.Action === "START" && (!previous || previous.Status === "READY" || previous.Status === "PENDING")) {
      details.Attempt = (details.Attempt ?? 0) + 1;
    }
    if (update.Payload !== undefined) details.Result = update.Payload;
    if (update.Error !== undefined) details.Error = update.Error;
    op.StepDetails = details;
  } else if (update.Type === OperationType.CONTEXT) {
    const details = Object.assign({}, op.ContextDetails);
    if (update.Payload !== undefined) details.Result = update.Payload;
    if (update.Error !== undefined) details.Error = update.Error;
    if (update.ContextOptions?.ReplayChildren !== undefined) details.ReplayChildren = update.ContextOptions.ReplayChildren;
    op.ContextDetails = details;
  }
  return op;
}
