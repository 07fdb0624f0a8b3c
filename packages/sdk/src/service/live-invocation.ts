// What a running invocation learns from the service in each checkpoint response. AWS keeps an
// invocation going while a step body runs and tells it, in its checkpoint responses, which waits
// ended, which retries came due and which callbacks completed meanwhile, so the handler carries on
// in the same invocation (the engine polls with empty checkpoints; see engine/service-waits.ts).
import type { Operation } from "../protocol/wire.js";
import { operationOf } from "./resident-operations.js";
import type { CheckpointPlan } from "./apply-checkpoint.js";
import type { CoreContext } from "./core-context.js";
import type { ExecutionMutation, ExecutionRecord } from "./execution-record.js";
import { fireDueTimers, timerCandidates } from "./timers.js";

export interface LiveCheckpoint {
  mutation: ExecutionMutation;
  /**
   * What the response reports (the mutation's own objects: clone them): the batch's operations
   * that carry values only the service assigns (a callback's id, a wait's end, a retry's time),
   * the timers due by now, which this checkpoint fires, and what changed outside the invocation
   * since its last response.
   */
  reported: Operation[];
}

/**
 * Extends a checkpoint's plan with the service's own changes: every timer due at `ctx.now` fires
 * (after the batch, so a wait the batch cancels does not fire), and the changes the invocation has
 * not been told of are reported and forgotten — as is the wake-up they asked for, since the
 * invocation that would have been woken now knows.
 */
export function planLiveCheckpoint(record: ExecutionRecord, plan: CheckpointPlan, ctx: CoreContext): LiveCheckpoint {
  const mutation = plan.mutation;
  const changed = new Map(plan.changedOperations.map((op) => [op.Id, op]));
  const current = (id: string): Operation | undefined => changed.get(id) ?? operationOf(record, id);

  const fired = fireDueTimers(
    timerCandidates(record, ctx.now, [...changed.keys()]).map(current),
    ctx.now,
    record.eventCount + 1 + (mutation.events?.length ?? 0),
  );
  const reported = new Map<string, Operation>();
  for (const op of plan.changedOperations) if (hasServiceAssignedValues(op)) reported.set(op.Id, op);
  if (fired.operations.length > 0) {
    // Later versions win when a store applies the mutation (the fired version of a batch's operation).
    mutation.operations = [...(mutation.operations ?? []), ...fired.operations];
    if (fired.events.length > 0) mutation.events = [...(mutation.events ?? []), ...fired.events];
    for (const op of fired.operations) {
      changed.set(op.Id, op);
      reported.set(op.Id, op);
    }
  }

  const outside = record.invocation?.changedOutside;
  if (record.invocation && outside && outside.length > 0) {
    for (const id of outside) {
      const op = current(id);
      if (op) reported.set(id, op);
    }
    const { changedOutside: _told, ...invocation } = record.invocation;
    mutation.invocation = invocation;
    if (record.wakePending) mutation.wakePending = null;
  }
  return { mutation, reported: [...reported.values()] };
}

/** Values the handler cannot know until the service answers: a callback's id, a wait's end, a retry's time. */
function hasServiceAssignedValues(op: Operation): boolean {
  return op.Type === "CALLBACK" || (op.Type === "WAIT" && op.Status === "STARTED") || (op.Type === "STEP" && op.Status === "PENDING");
}
