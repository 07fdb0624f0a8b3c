import type { ChildContextError } from "../../errors/durable-errors.js";
import { NonDeterministicExecutionError } from "../../errors/engine-errors.js";
import { never } from "../../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type OperationUpdate } from "../../protocol/wire.js";
import {
  BatchItemStatus,
  type BatchItem,
  type BatchResult,
  type CompletionConfig,
  type CompletionReason,
} from "../../types/batch.js";
import type { DurableContext } from "../../types/context.js";
import type { Serdes } from "../../types/serdes.js";
import { childError, contextUpdate, executeChild, type ChildOutcome } from "../child-context-operation.js";
import type { ContextImpl } from "../durable-context-impl.js";
import { describeOperation, deserializePayload, fitsInline, serializePayload } from "../payloads.js";
import { BatchResultImpl } from "./batch-result.js";
import { decodeSummary, encodeSummary } from "./batch-summary.js";
import { completionReason, validateBatchConfig } from "./completion.js";
import { LazyAbort } from "../lazy-abort.js";

/** One branch of a parallel or one item of a map. */
export interface BatchUnit<T> {
  name: string | undefined;
  run: (context: DurableContext) => Promise<T>;
}

export interface BatchConfig<T> {
  maxConcurrency?: number | undefined;
  completionConfig?: CompletionConfig | undefined;
  serdes?: Serdes<BatchResult<T>> | undefined;
  itemSerdes?: Serdes<T> | undefined;
}


/**
 * Runs units in child contexts with bounded concurrency until the completion config is met, then
 * checkpoints the batch. Items still running when it completes are aborted and closed: they show
 * as STARTED and can no longer write checkpoints.
 */
export async function runBatch<T>(
  ctx: ContextImpl,
  kind: "map" | "parallel",
  name: string | undefined,
  units: BatchUnit<T>[],
  config: BatchConfig<T>,
): Promise<BatchResult<T>> {
  const label = `${kind}${name === undefined ? "" : ` "${name}"`}`;
  validateBatchConfig(label, units.length, config.maxConcurrency, config.completionConfig);

  const engine = ctx.engine;
  const id = ctx.nextId();
  const subType = kind === "map" ? OperationSubType.MAP : OperationSubType.PARALLEL;
  const itemSubType = kind === "map" ? OperationSubType.MAP_ITERATION : OperationSubType.PARALLEL_BRANCH;
  const existing = engine.replayCheck({ id, type: OperationType.CONTEXT, subType, name });
  if (engine.ended) return never();
  const what = describeOperation(kind, id, name);
  const serdesContext = { entityId: id, durableExecutionArn: engine.executionArn };
  const itemSerdes: Serdes<T> = config.itemSerdes ?? engine.defaultSerdes;
  const update = (action: OperationUpdate["Action"], extra?: Partial<OperationUpdate>): OperationUpdate =>
    contextUpdate(ctx, id, name, subType, action, extra);

  if (existing?.Status === OperationStatus.FAILED) throw childError(existing.ContextDetails?.Error, what);
  if (ctx.closed) return never();

  // Items belong to the batch's own context, so closing it closes every item still running.
  const batchAbort = new LazyAbort();
  const batchContext = ctx.child(id, batchAbort);
  const live = new Map<number, LazyAbort>();
  const unfollow = ctx.abort.subscribe(() => {
    batchAbort.abort("the enclosing context is no longer needed");
    for (const item of live.values()) item.abort("the enclosing context is no longer needed");
  });

  const runItem = async (index: number): Promise<ChildOutcome<T>> => {
    const unit = units[index] as BatchUnit<T>;
    const itemId = `${id}-${index + 1}`;
    const itemExisting = engine.replayCheck({ id: itemId, type: OperationType.CONTEXT, subType: itemSubType, name: unit.name });
    if (engine.ended) return never();
    const abort = new LazyAbort();
    if (ctx.abort.aborted) abort.abort("the enclosing context is no longer needed");
    live.set(index, abort);
    try {
      return await executeChild({
        owner: batchContext,
        id: itemId,
        name: unit.name,
        subType: itemSubType,
        fn: unit.run,
        serdes: itemSerdes,
        abort,
        existing: itemExisting,
      });
    } finally {
      live.delete(index);
    }
  };

  try {
    if (existing?.Status === OperationStatus.SUCCEEDED) {
      if (config.serdes && existing.ContextDetails?.ReplayChildren !== true) {
        return await deserializePayload(config.serdes, existing.ContextDetails?.Result, serdesContext, what);
      }
      return await rebuild(existing.ContextDetails?.Result);
    }
    if (!existing) ctx.checkpoint(update(OperationAction.START)).catch(() => undefined);

    const { reason, statuses, items } = await schedule(units.length, runItem, config);
    batchContext.close();
    const abandoned = new Error(`${what} completed (${reason}); this item is no longer needed.`);
    for (const item of live.values()) item.abort(abandoned);
    const result = new BatchResultImpl(items, reason);

    let payload: string | undefined = encodeSummary(reason, statuses);
    if (config.serdes) {
      try {
        payload = await serializePayload(config.serdes, result, serdesContext, what);
      } catch (error) {
        const failure = childError({ ErrorType: "SerdesError", ErrorMessage: (error as Error).message }, what);
        await ctx.checkpoint(update(OperationAction.FAIL, { Error: failure.toErrorObject() }));
        throw failure;
      }
    }
    if (!fitsInline(payload)) {
      await ctx.checkpoint(update(OperationAction.SUCCEED, { ContextOptions: { ReplayChildren: true } }));
    } else {
      await ctx.checkpoint(update(OperationAction.SUCCEED, payload === undefined ? {} : { Payload: payload }));
    }
    return result;
  } finally {
    unfollow();
  }

  /** Rebuilds a completed batch's result from its summary and its items' own checkpoints. */
  async function rebuild(payload: string | undefined): Promise<BatchResult<T>> {
    const summary = decodeSummary(payload);
    if (summary && summary.statuses.length !== units.length) {
      // The batch ran over a different number of items: its recorded outcome is not this one's.
      engine.fail(
        new NonDeterministicExecutionError(
          `Replay mismatch at ${what}: it completed over ${summary.statuses.length} ${kind === "map" ? "items" : "branches"}, ` +
            `but the handler now passes ${units.length}. Derive the list from the event or from checkpointed results so it is the same on every replay.`,
        ),
      );
      return never();
    }
    const statuses = summary?.statuses ?? units.map((_, index) => itemStatusFromCheckpoint(`${id}-${index + 1}`));
    const items: BatchItem<T>[] = [];
    for (let index = 0; index < units.length; index++) {
      const status = statuses[index];
      if (status === undefined) continue;
      if (status === BatchItemStatus.STARTED) {
        items.push({ index, status });
        continue;
      }
      items.push(toItem(index, await runItem(index)));
    }
    return new BatchResultImpl(items, summary?.reason ?? "ALL_COMPLETED");
  }

  function itemStatusFromCheckpoint(itemId: string): BatchItemStatus | undefined {
    const op = engine.operations.get(itemId);
    if (!op) return undefined;
    if (op.Status === OperationStatus.SUCCEEDED) return BatchItemStatus.SUCCEEDED;
    if (op.Status === OperationStatus.FAILED) return BatchItemStatus.FAILED;
    return BatchItemStatus.STARTED;
  }
}

function toItem<T>(index: number, outcome: ChildOutcome<T>): BatchItem<T> {
  return outcome.status === "SUCCEEDED"
    ? { index, status: BatchItemStatus.SUCCEEDED, result: outcome.value }
    : { index, status: BatchItemStatus.FAILED, error: outcome.error };
}

/** Starts items in input order within the concurrency bound until a completion reason applies. */
function schedule<T>(
  count: number,
  runItem: (index: number) => Promise<ChildOutcome<T>>,
  config: BatchConfig<T>,
): Promise<{ reason: CompletionReason; statuses: (BatchItemStatus | undefined)[]; items: BatchItem<T>[] }> {
  const statuses: (BatchItemStatus | undefined)[] = new Array(count).fill(undefined);
  const outcomes: (ChildOutcome<T> | undefined)[] = new Array(count).fill(undefined);
  const limit = config.maxConcurrency ?? Infinity;
  let next = 0;
  let running = 0;
  let successCount = 0;
  let failureCount = 0;
  let reason: CompletionReason | undefined = count === 0 ? "ALL_COMPLETED" : undefined;

  return new Promise((resolve) => {
    const finish = (): void => {
      const items: BatchItem<T>[] = [];
      for (let index = 0; index < count; index++) {
        const outcome = outcomes[index];
        if (outcome) items.push(toItem(index, outcome));
        else if (statuses[index] === BatchItemStatus.STARTED) items.push({ index, status: BatchItemStatus.STARTED });
      }
      resolve({ reason: reason as CompletionReason, statuses, items });
    };
    const settle = (index: number, outcome: ChildOutcome<T>): void => {
      if (reason) return; // completed already: a late item stays STARTED
      running--;
      outcomes[index] = outcome;
      if (outcome.status === "SUCCEEDED") {
        successCount++;
        statuses[index] = BatchItemStatus.SUCCEEDED;
      } else {
        failureCount++;
        statuses[index] = BatchItemStatus.FAILED;
      }
      reason = completionReason(config.completionConfig, {
        successCount,
        failureCount,
        completedCount: successCount + failureCount,
        totalCount: count,
        items: () => statuses.map((status, i) => (status === undefined ? { index: i } : { index: i, status })),
      });
      if (reason) finish();
      else launch();
    };
    const launch = (): void => {
      while (!reason && next < count && running < limit) {
        const index = next++;
        running++;
        statuses[index] = BatchItemStatus.STARTED;
        runItem(index).then(
          (outcome) => settle(index, outcome),
          (error: unknown) => settle(index, { status: "FAILED", error: asChildError(error) }),
        );
      }
    };
    if (reason) finish();
    else launch();
  });
}

function asChildError(error: unknown): ChildContextError {
  return childError(
    { ErrorType: error instanceof Error ? error.name : "Error", ErrorMessage: error instanceof Error ? error.message : String(error) },
    "batch item",
  );
}
