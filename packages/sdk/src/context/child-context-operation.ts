import { ChildContextError, errorFromObject } from "../errors/durable-errors.js";
import { toErrorObject } from "../errors/error-object.js";
import { never } from "../engine/invocation-engine.js";
import {
  OperationAction,
  OperationStatus,
  OperationSubType,
  OperationType,
  type ErrorObject,
  type Operation,
  type OperationUpdate,
} from "../protocol/wire.js";
import type { ChildConfig, ChildFunc } from "../types/child.js";
import type { Serdes } from "../types/serdes.js";
import type { ContextImpl } from "./durable-context-impl.js";
import type { LazyAbort } from "./lazy-abort.js";
import { operationEnded, operationReplayed, operationStarted, wrapContextFn } from "./operation-hooks.js";
import { describeOperation, deserializePayload, fitsInline, serializePayload } from "./payloads.js";

export type ChildOutcome<T> = { status: "SUCCEEDED"; value: T } | { status: "FAILED"; error: ChildContextError };

export interface ChildSpec<T> {
  /** The context the child's operation belongs to (its updates are written through it). */
  owner: ContextImpl;
  id: string;
  name: string | undefined;
  subType: string;
  fn: ChildFunc<T>;
  serdes: Serdes<T>;
  abort: LazyAbort;
  existing: Operation | undefined;
}

/**
 * Runs a function in a child context whose operation is checkpointed as one unit. A finished child
 * is not re-run on replay; its result comes from the checkpoint, unless the result was too large
 * to store — then the child re-runs against its own checkpoints to rebuild it, writing nothing.
 */
export async function executeChild<T>(spec: ChildSpec<T>): Promise<ChildOutcome<T>> {
  const { owner, id, name, subType, existing } = spec;
  const engine = owner.engine;
  const what = describeOperation("child context", id, name);
  const serdesContext = { entityId: id, durableExecutionArn: engine.executionArn };
  const update = (action: OperationUpdate["Action"], extra?: Partial<OperationUpdate>): OperationUpdate =>
    contextUpdate(owner, id, name, subType, action, extra);

  if (existing?.Status === OperationStatus.FAILED) {
    return { status: "FAILED", error: childError(existing.ContextDetails?.Error, what) };
  }
  const rebuilding = existing?.Status === OperationStatus.SUCCEEDED && existing.ContextDetails?.ReplayChildren === true;
  if (existing?.Status === OperationStatus.SUCCEEDED && !rebuilding) {
    return { status: "SUCCEEDED", value: await deserializePayload(spec.serdes, existing.ContextDetails?.Result, serdesContext, what) };
  }
  if (owner.closed) return never();

  const child = owner.child(id, spec.abort, rebuilding);
  if (!existing) owner.checkpoint(update(OperationAction.START)).catch(() => undefined);
  const identity = { id, name, type: OperationType.CONTEXT, subType, parentId: owner.operationId };
  if (engine.plugins && !rebuilding) await (existing ? operationReplayed(engine, identity, existing) : operationStarted(engine, identity));

  let value: T;
  try {
    value = engine.plugins
      ? await wrapContextFn(engine, identity, { isReplay: existing !== undefined, isReplayingChildren: child.replaying }, async () => spec.fn(child))
      : await spec.fn(child);
  } catch (error) {
    if (engine.ended || child.closed) return never();
    const errorObject = toErrorObject(error);
    if (!rebuilding) await owner.checkpoint(update(OperationAction.FAIL, { Error: errorObject }));
    if (engine.plugins && !rebuilding) await operationEnded(engine, identity, error);
    return { status: "FAILED", error: childError(errorObject, what) };
  }
  if (engine.ended || child.closed) return never();
  if (rebuilding) return { status: "SUCCEEDED", value };

  let payload: string | undefined;
  try {
    payload = await serializePayload(spec.serdes, value, serdesContext, what);
  } catch (error) {
    const errorObject = toErrorObject(error);
    await owner.checkpoint(update(OperationAction.FAIL, { Error: errorObject }));
    if (engine.plugins) await operationEnded(engine, identity, error);
    return { status: "FAILED", error: childError(errorObject, what) };
  }
  if (!fitsInline(payload)) {
    // Too large to store: record success without the result; replay re-runs the children.
    await owner.checkpoint(update(OperationAction.SUCCEED, { ContextOptions: { ReplayChildren: true } }));
    if (engine.plugins) await operationEnded(engine, identity);
    return { status: "SUCCEEDED", value };
  }
  await owner.checkpoint(update(OperationAction.SUCCEED, payload === undefined ? {} : { Payload: payload }));
  if (engine.plugins) await operationEnded(engine, identity);
  return { status: "SUCCEEDED", value: await deserializePayload(spec.serdes, payload, serdesContext, what) };
}

/** An update of a CONTEXT operation (child context, branch, item, or a batch itself) owned by `owner`. */
export function contextUpdate(
  owner: ContextImpl,
  id: string,
  name: string | undefined,
  subType: string,
  action: OperationUpdate["Action"],
  extra?: Partial<OperationUpdate>,
): OperationUpdate {
  const update: OperationUpdate = { Id: id, ParentId: owner.operationId, Name: name, Type: OperationType.CONTEXT, SubType: subType, Action: action };
  return extra ? Object.assign(update, extra) : update;
}

export function childError(errorObject: ErrorObject | undefined, what: string): ChildContextError {
  const object = errorObject ?? { ErrorType: "ChildContextError", ErrorMessage: `${what} failed` };
  return new ChildContextError(object.ErrorMessage ?? `${what} failed`, errorFromObject(object), object.ErrorData);
}

export async function runChildContext<T>(
  ctx: ContextImpl,
  name: string | undefined,
  fn: ChildFunc<T>,
  config: ChildConfig<T>,
): Promise<T> {
  const engine = ctx.engine;
  const id = ctx.nextId();
  const subType = config.subType ?? OperationSubType.RUN_IN_CHILD_CONTEXT;
  const existing = engine.replayCheck({ id, type: OperationType.CONTEXT, subType, name });
  if (engine.ended) return never();
  const outcome = await executeChild({
    owner: ctx,
    id,
    name,
    subType,
    fn,
    serdes: config.serdes ?? engine.defaultSerdes,
    abort: ctx.abort,
    existing,
  });
  if (outcome.status === "FAILED") throw outcome.error;
  return outcome.value;
}
