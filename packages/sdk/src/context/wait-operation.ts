import type { CheckpointedOperation } from "../engine/checkpointed-operations.js";
import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType } from "../protocol/wire.js";
import { wholeSeconds, type Duration } from "../types/duration.js";
import { Quiet } from "./answered.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { operationEnded, operationReplayed, operationStarted } from "./operation-hooks.js";
import { describeOperation, quotedName } from "./payloads.js";

/**
 * ctx.wait. Not an async function: a replayed wait still open (every open map item that waits is
 * one) hands back the engine's own promise for its end, without two async frames and the promises
 * between them kept alive until the invocation suspends; as Quiet, since it cannot reject. Throws
 * synchronously on a bad duration (the caller turns that into a rejection before anything is
 * written).
 */
export function runWait(ctx: ContextImpl, name: string | undefined, duration: Duration): Promise<void> | Quiet<void> {
  const engine = ctx.engine;
  // Validate before the id is taken and before anything is written.
  const seconds = wholeSeconds(duration, `wait${quotedName(name)} duration`);
  const id = ctx.nextId();
  const existing = engine.replayCheck({ id, type: OperationType.WAIT, subType: OperationSubType.WAIT, name });
  if (engine.ended) return never();
  if (engine.plugins) return waitWithPlugins(ctx, id, name, seconds, existing);
  if (existing) return replayedWaitIsOpen(existing, id, name) ? new Quiet(waitEnd(ctx, id)) : Promise.resolve();
  if (ctx.closed) return never();
  return waitStart(ctx, id, name, seconds).then(() => waitEnd(ctx, id));
}

/** ctx.wait with instrumentation plugins: they hear of its start (or replay) and its end. */
async function waitWithPlugins(
  ctx: ContextImpl,
  id: string,
  name: string | undefined,
  seconds: number,
  existing: CheckpointedOperation | undefined,
): Promise<void> {
  const engine = ctx.engine;
  const identity = { id, name, type: OperationType.WAIT, subType: OperationSubType.WAIT, parentId: ctx.operationId };
  if (existing) {
    await operationReplayed(engine, identity, existing);
    if (!replayedWaitIsOpen(existing, id, name)) return;
  } else {
    if (ctx.closed) return never();
    const started = waitStart(ctx, id, name, seconds);
    await operationStarted(engine, identity);
    await started;
  }
  await waitEnd(ctx, id);
  return operationEnded(engine, identity);
}

/** Whether a checkpointed wait has yet to end (false when it ended); throws on a state a wait never has. */
function replayedWaitIsOpen(existing: CheckpointedOperation, id: string, name: string | undefined): boolean {
  if (existing.Status === OperationStatus.SUCCEEDED || existing.Status === OperationStatus.CANCELLED) return false;
  if (existing.Status === OperationStatus.STARTED) return true;
  throw new Error(`${describeOperation("wait", id, name)} is in unexpected state ${existing.Status}.`);
}

/** Until the service ends the wait: in this invocation if a step body keeps it alive, else in a later one. */
function waitEnd(ctx: ContextImpl, id: string): Promise<void> {
  return ctx.engine.blockUntilMoved(id);
}

function waitStart(ctx: ContextImpl, id: string, name: string | undefined, seconds: number): Promise<void> {
  return ctx.checkpoint({
    Id: id,
    ParentId: ctx.operationId,
    Name: name,
    Type: OperationType.WAIT,
    SubType: OperationSubType.WAIT,
    Action: OperationAction.START,
    WaitOptions: { WaitSeconds: seconds },
  });
}
