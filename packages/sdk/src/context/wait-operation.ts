import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType } from "../protocol/wire.js";
import { wholeSeconds, type Duration } from "../types/duration.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { operationEnded, operationReplayed, operationStarted } from "./operation-hooks.js";
import { describeOperation, quotedName } from "./payloads.js";

export async function runWait(ctx: ContextImpl, name: string | undefined, duration: Duration): Promise<void> {
  const engine = ctx.engine;
  // Validate before the id is taken and before anything is written.
  const seconds = wholeSeconds(duration, `wait${quotedName(name)} duration`);
  const id = ctx.nextId();
  const existing = engine.replayCheck({ id, type: OperationType.WAIT, subType: OperationSubType.WAIT, name });
  if (engine.ended) return never();
  if (engine.plugins) {
    const identity = { id, name, type: OperationType.WAIT, subType: OperationSubType.WAIT, parentId: ctx.operationId };
    if (existing) await operationReplayed(engine, identity, existing);
    else if (!ctx.closed) {
      const started = waitStart(ctx, id, name, seconds);
      await operationStarted(engine, identity);
      await started;
      return waitEnd(ctx, id, name);
    }
  }
  if (existing) {
    if (existing.Status === OperationStatus.SUCCEEDED || existing.Status === OperationStatus.CANCELLED) return;
    if (existing.Status === OperationStatus.STARTED) return waitEnd(ctx, id, name);
    throw new Error(`${describeOperation("wait", id, name)} is in unexpected state ${existing.Status}.`);
  }
  if (ctx.closed) return never();
  await waitStart(ctx, id, name, seconds);
  return waitEnd(ctx, id, name);
}

/** Until the service ends the wait: in this invocation if a step body keeps it alive, else in a later one. */
async function waitEnd(ctx: ContextImpl, id: string, name: string | undefined): Promise<void> {
  await ctx.engine.block(id);
  if (ctx.engine.plugins) {
    await operationEnded(ctx.engine, { id, name, type: OperationType.WAIT, subType: OperationSubType.WAIT, parentId: ctx.operationId });
  }
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
