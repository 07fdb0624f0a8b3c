import { errorFromObject } from "../errors/durable-errors.js";
import { OperationType } from "../protocol/wire.js";
import type { CheckpointedOperation } from "./checkpointed-operations.js";
import type { OperationInfo, PluginOperationStatus } from "../types/plugin.js";

/** Identity of an operation before anything about it is checkpointed. */
export interface OperationIdentityInfo {
  id: string;
  name: string | undefined;
  type: string;
  subType: string | undefined;
  parentId: string | undefined;
}

/**
 * What a plugin sees of an operation: its identity, plus whatever its checkpoint holds. Absent
 * values are left out (not set to undefined), so a dump of the info shows only what is known.
 */
export function operationInfoOf(identity: OperationIdentityInfo, op: CheckpointedOperation | undefined, isReplay: boolean): OperationInfo {
  const info: OperationInfo = { id: identity.id, type: identity.type, isReplay };
  const name = op?.Name ?? identity.name;
  if (name !== undefined && name !== null) info.name = name;
  const subType = op?.SubType ?? identity.subType;
  if (subType !== undefined) info.subType = subType;
  const parentId = op?.ParentId ?? identity.parentId;
  if (parentId !== undefined && parentId !== null) info.parentId = parentId;
  if (!op) return info;
  info.status = op.Status as PluginOperationStatus;
  if (op.StartTimestamp) info.startTimestamp = new Date(op.StartTimestamp);
  if (op.EndTimestamp) info.endTimestamp = new Date(op.EndTimestamp);
  const details = op.StepDetails ?? op.ContextDetails ?? op.CallbackDetails ?? op.ChainedInvokeDetails;
  if (details?.Result !== undefined) info.result = details.Result;
  if (details?.Error && isFailed(op.Status)) info.error = errorFromObject(details.Error);
  if (op.StepDetails?.Attempt !== undefined) info.attempt = op.StepDetails.Attempt;
  return info;
}

/** Info of a checkpointed operation, its identity read from the checkpoint itself. */
export function infoOfOperation(op: CheckpointedOperation, isReplay: boolean): OperationInfo {
  return operationInfoOf(
    { id: op.Id, name: op.Name, type: op.Type, subType: op.SubType, parentId: op.ParentId },
    op,
    isReplay,
  );
}

/** Every operation except the EXECUTION one, by id. */
export function operationMap(
  operations: Iterable<CheckpointedOperation>,
  isReplay: (op: CheckpointedOperation) => boolean,
): Record<string, OperationInfo> {
  const out: Record<string, OperationInfo> = {};
  for (const op of operations) {
    if (op.Type === OperationType.EXECUTION) continue;
    out[op.Id] = infoOfOperation(op, isReplay(op));
  }
  return out;
}

/**
 * Defines `operations` as an enumerable property computed on first read: building the map costs
 * O(operations), and most plugins never look at it.
 */
export function withLazyOperations<T extends object>(
  target: T,
  build: () => Record<string, OperationInfo>,
): T & { operations: Record<string, OperationInfo> } {
  let cached: Record<string, OperationInfo> | undefined;
  Object.defineProperty(target, "operations", {
    enumerable: true,
    configurable: true,
    get: () => (cached ??= build()),
  });
  return target as T & { operations: Record<string, OperationInfo> };
}

function isFailed(status: string): boolean {
  return status === "FAILED" || status === "TIMED_OUT" || status === "STOPPED" || status === "PENDING" || status === "READY";
}
