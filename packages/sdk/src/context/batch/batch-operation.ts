import { NonDeterministicExecutionError } from "../../errors/engine-errors.js";
import { never } from "../../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type OperationUpdate } from "../../protocol/wire.js";
import { BatchItemStatus, type BatchExecutionOptions, type BatchResult, type CompletionConfig, type NestingType } from "../../types/batch.js";
import type { DurableContext } from "../../types/context.js";
import type { Serdes } from "../../types/serdes.js";
import { operationEnded, operationReplayed, operationStarted } from "../operation-hooks.js";
import { toErrorObject } from "../../errors/error-object.js";
import {
  childError,
  contextUpdate,
  executeChild,
  executeVirtualChild,
  reportTo,
  runChildInto,
  storedChildOutcome,
  type ChildSink,
  type ChildSpec,
} from "../child-context-operation.js";
import type { CheckpointedOperation } from "../../engine/checkpointed-operations.js";
import type { ContextImpl } from "../durable-context-impl.js";
import { LazyAbort } from "../lazy-abort.js";
import { childOperationId } from "../operation-ids.js";
import { describeOperation, deserializePayload, fitsInline, quotedName, serializePayload } from "../payloads.js";
import { unitLayout, type BatchLayout } from "./batch-layout.js";
import { checkSummaryGenerator, isFlat, resolveBatchOptions } from "./batch-options.js";
import { BatchResultImpl } from "./batch-result.js";
import { decodeSummary, encodeSummary } from "./batch-summary.js";
import { restoreBatchResult } from "./restore-batch-result.js";
import { validateBatchConfig } from "./completion.js";
import { ItemDeadlines, isTimeoutError } from "./item-deadlines.js";
import { STATUS_OF, resultOf, schedule, type UnitOutcome, type UnitReport, type UnitResults } from "./scheduler.js";

/** A unit as the batch calls it, and its checkpoint (none for a flat unit). */
interface CheckedItem<U> {
  unit: BatchUnit<U>;
  itemId: string;
  itemExisting: CheckpointedOperation | undefined;
}

/** One branch of a parallel, one item of a map, or one chunk of a mapBatches. */
export interface BatchUnit<T> {
  name: string | undefined;
  run: (context: DurableContext) => Promise<T>;
}

export interface BatchConfig<U, R = U> extends BatchExecutionOptions {
  maxConcurrency?: number | undefined;
  completionConfig?: CompletionConfig | undefined;
  serdes?: Serdes<BatchResult<R>> | undefined;
  itemSerdes?: Serdes<U> | undefined;
  nesting?: NestingType | undefined;
  summaryGenerator?: ((result: BatchResult<R>) => string) | undefined;
}

/**
 * A batch's units, made on demand: a map over 100 000 items would otherwise hold a closure, its
 * scope and a name for every item for as long as the map runs.
 */
export interface BatchUnits<T> {
  /** How many units. */
  readonly length: number;
  /** The unit at `index` (0-based). */
  at(index: number): BatchUnit<T>;
}

const UNIT_NOUN = { map: "item", parallel: "branch", mapBatches: "chunk" } as const;

/**
 * Runs one unit under its itemTimeout. The closure lives here rather than in runBatch's per-item
 * function, which would otherwise get a heap-allocated scope for every item, deadlines or not.
 */
function runUnderDeadline<U>(deadlines: ItemDeadlines, spec: ChildSpec<U>, index: number, what: string): Promise<UnitOutcome<U>> {
  return deadlines.run({
    index,
    itemId: spec.id,
    name: spec.name,
    subType: spec.subType,
    what,
    itemExisting: spec.existing,
    abort: spec.abort,
    execute: (owner) => executeChild({ ...spec, owner }),
  });
}

/**
 * Tells the scheduler how one started unit ended. One object per unit, its methods shared: a map
 * of waiting items holds no closure, frame or promise of its own for each of them.
 */
class UnitEnd<U> implements ChildSink<U> {
  constructor(
    private readonly index: number,
    private readonly itemExisting: CheckpointedOperation | undefined,
    private readonly live: Map<number, LazyAbort>,
    private readonly report: UnitReport<U>,
  ) {}

  ended(outcome: UnitOutcome<U>): void {
    this.live.delete(this.index);
    // A timeout recorded by an earlier run stays one, even if the config no longer sets itemTimeout.
    if (outcome.status === "FAILED" && isTimeoutError(this.itemExisting?.ContextDetails?.Error)) {
      this.report.ended(this.index, { status: "TIMED_OUT", error: outcome.error });
    } else {
      this.report.ended(this.index, outcome);
    }
  }

  broke(error: unknown): void {
    this.live.delete(this.index);
    this.report.broke(this.index, error);
  }
}

/**
 * Runs units in child contexts with bounded concurrency until the completion config is met, then
 * checkpoints the batch. Units still running when it completes are aborted and closed: they show
 * as STARTED and can no longer write checkpoints.
 */
export async function runBatch<U, R = U>(
  ctx: ContextImpl,
  kind: "map" | "parallel" | "mapBatches",
  name: string | undefined,
  unitsGiven: readonly BatchUnit<U>[] | BatchUnits<U>,
  config: BatchConfig<U, R>,
  layout: BatchLayout<U, R> = unitLayout(unitsGiven.length) as unknown as BatchLayout<U, R>,
): Promise<BatchResult<R>> {
  const units: BatchUnits<U> = Array.isArray(unitsGiven)
    ? { length: unitsGiven.length, at: (index) => unitsGiven[index] as BatchUnit<U> }
    : (unitsGiven as BatchUnits<U>);
  const label = `${kind}${quotedName(name)}`;
  validateBatchConfig(label, layout.totalItems, config.maxConcurrency, config.completionConfig);
  const options = resolveBatchOptions(label, config);
  const flat = kind !== "mapBatches" && isFlat(label, config.nesting, options.itemTimeoutSeconds);
  checkSummaryGenerator(label, config.summaryGenerator);

  const engine = ctx.engine;
  const id = ctx.nextId();
  const subType = kind === "parallel" ? OperationSubType.PARALLEL : OperationSubType.MAP;
  const itemSubType = kind === "parallel" ? OperationSubType.PARALLEL_BRANCH : OperationSubType.MAP_ITERATION;
  const existing = engine.replayCheck({ id, type: OperationType.CONTEXT, subType, name });
  if (engine.ended) return never();
  const what = describeOperation(kind, id, name);
  const serdesContext = { entityId: id, durableExecutionArn: engine.executionArn };
  const itemSerdes: Serdes<U> = config.itemSerdes ?? engine.defaultSerdes;
  const update = (action: OperationUpdate["Action"], extra?: Partial<OperationUpdate>): OperationUpdate =>
    contextUpdate(ctx, id, name, subType, action, extra);

  if (existing?.Status === OperationStatus.FAILED) throw childError(existing.ContextDetails?.Error, what);
  if (ctx.closed) return never();

  // Items belong to the batch's own context, so closing it closes every item still running.
  const batchAbort = new LazyAbort();
  const batchContext = ctx.child(id, batchAbort);
  if (options.retryStrategy) batchContext.defaultRetryStrategy = options.retryStrategy;
  const deadlines = options.itemTimeoutSeconds === undefined ? undefined : new ItemDeadlines(batchContext, units.length, options.itemTimeoutSeconds);
  const live = new Map<number, LazyAbort>();
  const unfollow = ctx.abort.subscribe(() => {
    batchAbort.abort("the enclosing context is no longer needed");
    for (const item of live.values()) item.abort("the enclosing context is no longer needed");
  });

  /** The item's unit and checkpoint, checked against what the handler calls now. */
  const checkItem = (index: number): CheckedItem<U> => {
    const unit = units.at(index);
    const itemId = childOperationId(id, index + 1);
    // A flat item has no operation to check; whether it ran before shows in its first operation.
    const itemExisting = flat ? undefined : engine.replayCheck({ id: itemId, type: OperationType.CONTEXT, subType: itemSubType, name: unit.name });
    return { unit, itemId, itemExisting };
  };

  /** Starts unit `index` and tells `report` how it ends (see ScheduleSpec.run). */
  const runItem = (index: number, report: UnitReport<U>, checked?: CheckedItem<U>): void => {
    let spec: ChildSpec<U>;
    let end: UnitEnd<U>;
    try {
      const { unit, itemId, itemExisting } = checked ?? checkItem(index);
      if (engine.ended) return;
      const ranBefore = flat ? engine.operations.has(childOperationId(itemId, 1)) : itemExisting !== undefined;
      // Near the timeout no new item starts; the next invocation starts it (and replays the rest).
      if (!ranBefore && engine.timeBudget?.exhausted()) {
        void engine.block();
        return;
      }
      const abort = new LazyAbort();
      if (ctx.abort.aborted) abort.abort("the enclosing context is no longer needed");
      live.set(index, abort);
      end = new UnitEnd(index, itemExisting, live, report);
      spec = { owner: batchContext, id: itemId, name: unit.name, subType: itemSubType, fn: unit.run, serdes: itemSerdes, abort, existing: itemExisting };
    } catch (error) {
      // Reported later, as the scheduler expects.
      Promise.reject(error).catch((reason: unknown) => report.broke(index, reason));
      return;
    }
    if (flat) reportTo(end, executeVirtualChild(spec));
    else if (deadlines) reportTo(end, runUnderDeadline(deadlines, spec, index, `${label} ${UNIT_NOUN[kind]} ${index}`));
    else runChildInto(spec, end);
  };

  /** runItem for one unit at a time (a rebuild): its outcome as a promise. */
  const runItemNow = (index: number, checked: CheckedItem<U>): Promise<UnitOutcome<U>> =>
    new Promise((resolve, reject) => runItem(index, { ended: (_, outcome) => resolve(outcome), broke: (_, error) => reject(error) }, checked));

  try {
    if (existing?.Status === OperationStatus.SUCCEEDED) {
      if (config.serdes && existing.ContextDetails?.ReplayChildren !== true) {
        // A serdes that hands back the plain JSON shape gets a full BatchResult, as on AWS.
        return restoreBatchResult<R>(await deserializePayload(config.serdes, existing.ContextDetails?.Result, serdesContext, what), layout.totalItems);
      }
      return await rebuild(existing.ContextDetails?.Result);
    }
    if (!existing) ctx.checkpoint(update(OperationAction.START));
    // Instrumentation plugins: the batch's own start here, its end after its terminal checkpoint.
    const identity = { id, name, type: OperationType.CONTEXT, subType, parentId: ctx.operationId };
    if (engine.plugins) await (existing ? operationReplayed(engine, identity, existing) : operationStarted(engine, identity));

    const { reason, statuses, results } = await schedule({
      count: units.length,
      run: runItem,
      maxConcurrency: config.maxConcurrency,
      completion: config.completionConfig,
      weight: layout.weight,
      totalItems: layout.totalItems,
      itemStatuses: layout.itemStatuses,
      chains: layout.chains,
    });
    batchContext.close();
    const abandoned = new Error(`${what} completed (${reason}); this item is no longer needed.`);
    for (const item of live.values()) item.abort(abandoned);
    // Deadlines of abandoned items must not wake the execution later.
    deadlines?.cancelPending(ctx);
    const result = new BatchResultImpl(layout.build(statuses, results), reason, layout.totalItems);

    let payload: string | undefined = encodeSummary(reason, statuses);
    if (config.summaryGenerator && !config.serdes) {
      try {
        payload = withCustomSummary(payload, config.summaryGenerator(result), what);
      } catch (error) {
        const failure = childError(toErrorObject(error), what);
        await ctx.checkpoint(update(OperationAction.FAIL, { Error: failure.toErrorObject() }));
        if (engine.plugins) await operationEnded(engine, identity, failure);
        throw failure;
      }
    }
    if (config.serdes) {
      try {
        payload = await serializePayload(config.serdes, result, serdesContext, what);
      } catch (error) {
        const failure = childError({ ErrorType: "SerdesError", ErrorMessage: (error as Error).message }, what);
        await ctx.checkpoint(update(OperationAction.FAIL, { Error: failure.toErrorObject() }));
        if (engine.plugins) await operationEnded(engine, identity, failure);
        throw failure;
      }
    }
    if (!fitsInline(payload)) {
      await ctx.checkpoint(update(OperationAction.SUCCEED, { ContextOptions: { ReplayChildren: true } }));
    } else {
      await ctx.checkpoint(update(OperationAction.SUCCEED, payload === undefined ? {} : { Payload: payload }));
    }
    if (engine.plugins) await operationEnded(engine, identity);
    return result;
  } finally {
    unfollow();
  }

  /** Rebuilds a completed batch's result from its summary and its units' own checkpoints. */
  async function rebuild(payload: string | undefined): Promise<BatchResult<R>> {
    deadlines?.freeze();
    const summary = decodeSummary(payload);
    if (summary && summary.statuses.length !== units.length) {
      // The batch ran over a different number of items: its recorded outcome is not this one's.
      const noun = kind === "parallel" ? "branches" : kind === "map" ? "items" : "chunks";
      engine.fail(
        new NonDeterministicExecutionError(
          `Replay mismatch at ${what}: it completed over ${summary.statuses.length} ${noun}, ` +
            `but the handler now passes ${units.length}. Derive the list from the event or from checkpointed results so it is the same on every replay.`,
          id,
        ),
      );
      return never();
    }
    const statuses = summary?.statuses ?? statusesFromCheckpoints();
    const results: UnitResults<U> = new Array(units.length).fill(undefined);
    for (let index = 0; index < units.length; index++) {
      const status = statuses[index];
      if (status === undefined || status === BatchItemStatus.STARTED || status === BatchItemStatus.SKIPPED) continue;
      const checked = checkItem(index);
      // Replay's common case: an item that finished with its result stored answers from it.
      const stored =
        flat || deadlines || engine.ended
          ? undefined
          : storedChildOutcome({ owner: batchContext, id: checked.itemId, name: checked.unit.name, serdes: itemSerdes, existing: checked.itemExisting });
      const outcome: UnitOutcome<U> = stored ?? (await runItemNow(index, checked));
      // The item reports how it ended now, as in the first run (which the summary recorded).
      statuses[index] = STATUS_OF[outcome.status];
      results[index] = resultOf(outcome);
    }
    return new BatchResultImpl(layout.build(statuses, results), summary?.reason ?? "ALL_COMPLETED", layout.totalItems);
  }

  /** Only when the summary was too large to store: each unit's own checkpoint says how it ended. */
  function statusesFromCheckpoints(): (BatchItemStatus | undefined)[] {
    // A flat unit has no checkpoint of its own: one that has operations is run again, and its
    // outcome comes from that run (its operations answer from their checkpoints).
    if (flat) {
      return Array.from({ length: units.length }, (_, index) =>
        engine.operations.has(childOperationId(childOperationId(id, index + 1), 1)) ? BatchItemStatus.SUCCEEDED : undefined,
      );
    }
    const statuses = Array.from({ length: units.length }, (_, index): BatchItemStatus | undefined => {
      const op = engine.operations.get(childOperationId(id, index + 1));
      if (!op) return undefined;
      if (op.Status === OperationStatus.SUCCEEDED) return BatchItemStatus.SUCCEEDED;
      if (op.Status === OperationStatus.FAILED) {
        return isTimeoutError(op.ContextDetails?.Error) ? BatchItemStatus.TIMED_OUT : BatchItemStatus.FAILED;
      }
      return BatchItemStatus.STARTED;
    });
    // Skipped units wrote nothing: they are the later units of a key whose earlier unit failed.
    const chains = layout.chains;
    if (chains) {
      statuses.forEach((status, index) => {
        if (status !== BatchItemStatus.FAILED && status !== BatchItemStatus.TIMED_OUT && status !== BatchItemStatus.SKIPPED) return;
        const later = chains.next[index] as number;
        if (later >= 0 && statuses[later] === undefined) statuses[later] = BatchItemStatus.SKIPPED;
      });
    }
    return statuses;
  }
}

/**
 * The summary with the handler's own description of the result added as `summary`, for readers of
 * the execution; replay reads only the fields Cairn wrote. A description that would make the
 * checkpoint too large is left out rather than costing the summary itself.
 */
function withCustomSummary(payload: string, summary: unknown, what: string): string {
  if (typeof summary !== "string") {
    throw new TypeError(`The summaryGenerator of ${what} must return a string, got ${typeof summary}.`);
  }
  const combined = JSON.stringify({ ...(JSON.parse(payload) as object), summary });
  return fitsInline(combined) ? combined : payload;
}
