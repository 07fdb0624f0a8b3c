import { OperationStatus, OperationSubType, OperationType, type Operation } from "../protocol/wire.js";
import type { CheckpointedOperation } from "./checkpointed-operations.js";

/**
 * A finished CONTEXT operation whose id tells its parent and whose details hold only a result
 * (every finished map item, parallel branch or child context): three fields instead of an
 * operation and its details.
 */
class FinishedContext {
  constructor(
    readonly subType: string | undefined,
    readonly name: string | undefined,
    readonly result: string,
  ) {}
}

/**
 * An operation as the index holds it: a string is the result of a step that succeeded on its
 * first attempt (sub-type Step, no name, ParentId read from its id), a FinishedContext a finished
 * context as above, anything else the operation itself.
 *
 * Why: an invocation holds every checkpointed operation to its end, so past a few thousand each
 * byte held per operation is copied by the collector and then marked by every major collection,
 * and that grew replay's cost per operation with the count. The result string is shared with the
 * delivered operation, so a replayed step holds no object of its own; a lookup rebuilds the
 * operation, which dies young and costs the collector nothing.
 */
export type HeldOperation = CheckpointedOperation | FinishedContext | string;

/** The compact form of `op` where it has one (see HeldOperation), else `slim` of it. */
export function holdCompact(op: Operation, slim: (op: Operation) => CheckpointedOperation): HeldOperation {
  if (op.Status !== OperationStatus.SUCCEEDED || !parentFromId(op)) return slim(op);
  if (op.Type === OperationType.STEP) {
    const details = op.StepDetails;
    if (
      op.SubType === OperationSubType.STEP &&
      op.Name === undefined &&
      details !== undefined &&
      details.Attempt === 1 &&
      typeof details.Result === "string" &&
      details.NextAttemptTimestamp === undefined &&
      details.Error === undefined &&
      onlyDetails(op, "StepDetails")
    ) {
      return details.Result;
    }
  } else if (op.Type === OperationType.CONTEXT) {
    const details = op.ContextDetails;
    if (
      details !== undefined &&
      typeof details.Result === "string" &&
      details.ReplayChildren === undefined &&
      details.Error === undefined &&
      onlyDetails(op, "ContextDetails")
    ) {
      return new FinishedContext(op.SubType, op.Name, details.Result);
    }
  }
  return slim(op);
}

/** The operation `held` stands for, as the engine reads it; `id` is its id. */
export function expandHeld(id: string, held: HeldOperation): CheckpointedOperation;
export function expandHeld(id: string, held: HeldOperation | undefined): CheckpointedOperation | undefined;
export function expandHeld(id: string, held: HeldOperation | undefined): CheckpointedOperation | undefined {
  if (typeof held === "string") {
    return operation(id, OperationType.STEP, OperationSubType.STEP, undefined, undefined, { Attempt: 1, Result: held });
  }
  if (held instanceof FinishedContext) return operation(id, OperationType.CONTEXT, held.subType, held.name, { Result: held.result }, undefined);
  return held;
}

/**
 * Every field in the order the slim copies have them (see checkpointed-operations.ts): one hidden
 * class for every operation replay reads (held-operation.test.ts checks the order).
 */
function operation(
  id: string,
  type: Operation["Type"],
  subType: string | undefined,
  name: string | undefined,
  contextDetails: Operation["ContextDetails"],
  stepDetails: Operation["StepDetails"],
): CheckpointedOperation {
  const dash = id.lastIndexOf("-");
  return {
    Id: id,
    ParentId: dash < 0 ? undefined : id.slice(0, dash),
    Name: name,
    Type: type,
    SubType: subType,
    Status: OperationStatus.SUCCEEDED,
    ExecutionDetails: undefined,
    ContextDetails: contextDetails,
    StepDetails: stepDetails,
    WaitDetails: undefined,
    CallbackDetails: undefined,
    ChainedInvokeDetails: undefined,
  };
}

/** Whether the ParentId of `op` is what its id says: the id up to its last dash, or none. */
function parentFromId(op: Operation): boolean {
  const id = op.Id;
  const parent = op.ParentId;
  const dash = id.lastIndexOf("-");
  if (dash < 0) return parent === undefined;
  return parent !== undefined && parent.length === dash && id.startsWith(parent);
}

/** Whether `op` carries no details but `kind`. */
function onlyDetails(op: Operation, kind: "StepDetails" | "ContextDetails"): boolean {
  return (
    op.ExecutionDetails === undefined &&
    (kind === "ContextDetails" || op.ContextDetails === undefined) &&
    (kind === "StepDetails" || op.StepDetails === undefined) &&
    op.WaitDetails === undefined &&
    op.CallbackDetails === undefined &&
    op.ChainedInvokeDetails === undefined
  );
}
