import { InvokeError } from "../../errors/durable-errors.js";
import { ValidationError } from "../../errors/validation-error.js";
import type { DurableContext } from "../../types/context.js";
import type {
  DistributedMapChildOutcome,
  DistributedMapCompletionReason,
  DistributedMapConfig,
  DistributedMapDefinition,
  DistributedMapResult,
  DistributedMapStopReason,
} from "../../types/distributed-map.js";
import type { ContextImpl } from "../durable-context-impl.js";
import { childFailureLimit, failureToleranceExceeded, stopReason, type Progress } from "./completion.js";
import { PARTITION_INPUT_KEY, type PartitionInput, type PartitionTask } from "./partition-input.js";
import { addCounts, zeroCounts, type PartitionResult } from "./partition-result.js";
import { checkContinuation, planContinuation, remainderOf } from "./continuation.js";
import { checkSplit, planPartitions, type Plan } from "./plan.js";
import { resolveSource } from "./sources.js";
import { selfFunctionName } from "./self-function.js";

const DEFAULT_MAX_CHILDREN = 10;
const DEFAULT_MAX_FAILED_ITEMS = 100;

/** How one partition ended, as its context checkpoints it. */
type PartitionOutcome =
  | { partition: number; status: "NOT_STARTED"; reason: DistributedMapStopReason }
  | { partition: number; status: "FAILED"; errorMessage: string; result?: PartitionResult }
  | { partition: number; status: "SUCCEEDED" | "STOPPED_EARLY"; result: PartitionResult };

type Admission = { start: true } | { start: false; reason: DistributedMapStopReason };

/**
 * ctx.distributedMap: one CONTEXT operation for the run, holding a `plan` step (how the source is
 * split) and one child context per partition. A partition's context decides in an `admit` step
 * whether to start (the decision is checkpointed, so replay never re-decides it from a different
 * order of finished children), invokes the child execution, and records the counts so far in a
 * `progress` step. At most `maxChildExecutions` partition contexts run at once; each costs the
 * parent four operations, whatever the number of items.
 */
export async function runDistributedMap(
  ctx: ContextImpl,
  definition: DistributedMapDefinition<unknown, unknown, unknown>,
  config: DistributedMapConfig<unknown>,
): Promise<DistributedMapResult> {
  const name = definition.name;
  const functionName = config.functionName ?? selfFunctionName(ctx.lambdaContext);
  if (typeof functionName !== "string" || functionName.length === 0) {
    throw new ValidationError(
      `distributedMap("${name}"): no function to run the children in; pass config.functionName (the function whose module defines "${name}").`,
    );
  }
  const source = resolveSource(definition, config.params);
  if (config.continueFrom === undefined) checkSplit(definition, source, config);
  else checkContinuation(name, config.continueFrom);
  const board = definition.options.progressBoard;
  const maxChildren = config.maxChildExecutions ?? DEFAULT_MAX_CHILDREN;
  const maxFailedItems = config.maxFailedItems ?? DEFAULT_MAX_FAILED_ITEMS;
  const completion = config.completionConfig;
  const stopAfterFailures = childFailureLimit(completion);

  return ctx.runInChildContext(`distributed-map-${name}`, async (mapContext) => {
    const runId = `${ctx.engine.executionArn}#${(mapContext as ContextImpl).operationId ?? name}`;
    const plan: Plan = await mapContext.step("plan", async () =>
      config.continueFrom === undefined ? planPartitions(definition, source, config) : planContinuation(name, config.continueFrom, source),
    );
    const progress: Progress = { counts: zeroCounts(), childFailed: false };
    // Each partition is counted once, as soon as its outcome is known: in its own context before
    // its progress step (so the last progress step holds every finished child, even when children
    // finish together), or when its finished context is replayed.
    const counted = new Set<number>();
    const count = (outcome: PartitionOutcome): void => {
      if (counted.has(outcome.partition)) return;
      counted.add(outcome.partition);
      if (outcome.status === "FAILED") progress.childFailed = true;
      if (outcome.status !== "NOT_STARTED" && outcome.result) addCounts(progress.counts, outcome.result.counts);
    };
    // A stop the parent decides on is posted on the board, so children still running hear of it
    // at their next page (called from inside a step: posting again after a crash is harmless).
    const postStop = async (reason: DistributedMapStopReason | undefined): Promise<DistributedMapStopReason | undefined> => {
      if (reason !== undefined && board) await board.stop(runId, reason);
      return reason;
    };

    const runPartition = (partition: number): Promise<PartitionOutcome> =>
      mapContext.runInChildContext(`partition-${partition}`, async (p: DurableContext): Promise<PartitionOutcome> => {
        const admission = await p.step("admit", async (): Promise<Admission> => {
          // The board also counts the items of children still running: the fuller view wins.
          const view = board ? await board.read(runId) : undefined;
          const counts = view && view.counts.total > progress.counts.total ? view.counts : progress.counts;
          const reason = await postStop(view?.stopped ?? stopReason({ counts, childFailed: progress.childFailed }, completion, plan.totalItems));
          return reason === undefined ? { start: true } : { start: false, reason };
        });
        if (!admission.start) return { partition, status: "NOT_STARTED", reason: admission.reason };
        const planned = plan.partitions[partition]!;
        const task: PartitionTask = {
          map: name,
          runId,
          // Absent stays absent: the child calls source() with exactly what the parent did.
          ...(config.params === undefined ? {} : { params: config.params }),
          partition,
          partitionCount: plan.partitions.length,
          ...(planned.range === undefined ? {} : { range: planned.range }),
          ...("startCursor" in planned ? { startCursor: planned.startCursor } : {}),
          ...(planned.filter ? { filter: planned.filter } : {}),
          maxFailedItems,
          ...(stopAfterFailures === undefined ? {} : { stopAfterFailures }),
          ...(board && completion ? { completion } : {}),
          ...(board && plan.totalItems !== undefined ? { totalItems: plan.totalItems } : {}),
          ...(definition.options.pagesPerExecution === undefined ? {} : { functionName }),
        };
        let outcome: PartitionOutcome;
        try {
          const input: PartitionInput = { [PARTITION_INPUT_KEY]: task };
          const result = await p.invoke<PartitionInput, PartitionResult>(`${name}-partition-${partition}`, functionName, input);
          outcome =
            result.readError !== undefined
              ? { partition, status: "FAILED", errorMessage: `reading a page failed: ${result.readError}`, result }
              : { partition, status: result.stoppedEarly ? "STOPPED_EARLY" : "SUCCEEDED", result };
        } catch (error) {
          if (!(error instanceof InvokeError)) throw error;
          outcome = { partition, status: "FAILED", errorMessage: error.message };
        }
        // Counts readable while the map runs: the latest progress step holds the totals so far.
        count(outcome);
        await p.step("progress", async () => {
          const snapshot = { finishedChildren: counted.size, counts: { ...progress.counts } };
          await postStop(stopReason({ counts: snapshot.counts, childFailed: progress.childFailed }, completion, plan.totalItems));
          return snapshot;
        });
        return outcome;
      });

    const outcomes = await runPool(plan.partitions.length, maxChildren, runPartition, count);
    // Every child has ended: the board's entries for this run have served (the result has them).
    if (board?.forget) await mapContext.step("forget-board", () => board.forget!(runId));
    return summarize(name, runId, plan, outcomes, progress, completion, maxFailedItems);
  });
}

/**
 * Runs `count` tasks in index order, at most `limit` at once. Tasks start in index order whatever
 * order they finish in, so each partition's context gets the same operation id on every replay.
 */
function runPool<T>(count: number, limit: number, run: (index: number) => Promise<T>, onDone: (result: T) => void): Promise<T[]> {
  const results = new Array<T>(count);
  if (count === 0) return Promise.resolve(results);
  return new Promise<T[]>((resolve, reject) => {
    let next = 0;
    let running = 0;
    let done = 0;
    const launch = (): void => {
      while (running < limit && next < count) {
        const index = next++;
        running++;
        run(index).then((result) => {
          results[index] = result;
          running--;
          done++;
          onDone(result);
          if (done === count) resolve(results);
          else launch();
        }, reject);
      }
    };
    launch();
  });
}

function summarize(
  map: string,
  runId: string,
  plan: Plan,
  outcomes: PartitionOutcome[],
  progress: Progress,
  completion: DistributedMapConfig["completionConfig"],
  maxFailedItems: number,
): DistributedMapResult {
  const counts = zeroCounts();
  const children: DistributedMapChildOutcome[] = [];
  const failedItems: DistributedMapResult["failedItems"] = [];
  let failedItemsTruncated = false;
  let notStartedReason: DistributedMapStopReason | undefined;
  let childStopReason: DistributedMapStopReason | undefined;
  const partitionCount = plan.partitions.length;
  for (const outcome of outcomes) {
    const planned = plan.partitions[outcome.partition]!;
    const range = planned.range;
    const result = outcome.status === "NOT_STARTED" ? undefined : outcome.result;
    const remaining = outcome.status === "SUCCEEDED" ? undefined : remainderOf(planned, outcome.partition, partitionCount, result);
    const child: DistributedMapChildOutcome = { partition: outcome.partition, status: outcome.status };
    if (outcome.status === "FAILED") child.errorMessage = outcome.errorMessage;
    if (remaining) child.remaining = remaining;
    children.push(child);
    if (outcome.status === "NOT_STARTED") notStartedReason ??= outcome.reason;
    if (result === undefined) {
      // Items of a known range that no child processed are pending (what continueFrom runs).
      const pending = range ? range[1] - range[0] : 0;
      counts.pending += pending;
      counts.total += pending;
      continue;
    }
    child.counts = result.counts;
    childStopReason ??= result.stopReason;
    addCounts(counts, result.counts);
    if (remaining?.range) {
      // A range child that stopped before its end left the rest of its range unread.
      const unread = remaining.range[1] - remaining.range[0];
      counts.pending += unread;
      counts.total += unread;
    }
    const room = Math.max(0, maxFailedItems - failedItems.length);
    failedItems.push(...result.failedItems.slice(0, room));
    if (result.failedItems.length > room || result.failedItemsTruncated) failedItemsTruncated = true;
  }
  const completionReason: DistributedMapCompletionReason =
    notStartedReason ??
    (failureToleranceExceeded(progress, completion, plan.totalItems) ? "FAILURE_TOLERANCE_EXCEEDED" : (childStopReason ?? "ALL_COMPLETED"));
  return { map, runId, counts, completionReason, children, failedItems, failedItemsTruncated };
}
