import { InvokeError, StepError } from "../../errors/durable-errors.js";
import { ValidationError } from "../../errors/validation-error.js";
import type { BatchResult } from "../../types/batch.js";
import type { DurableContext } from "../../types/context.js";
import type {
  DistributedMapStopReason,
  DistributedMapFailedItem,
  DistributedMapOptions,
  DistributedMapProgressBoard,
} from "../../types/distributed-map.js";
import { stopReason } from "./completion.js";
import { definitionNamed } from "./definitions.js";
import { PARTITION_INPUT_KEY, type PartitionInput, type PartitionTask } from "./partition-input.js";
import { addCounts, zeroCounts, type PartitionResult } from "./partition-result.js";
import { readArrayPage, readSourcePage, resolveSource, type ReadPage } from "./sources.js";

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_ITEM_CONCURRENCY = 10;
// Every item of a page runs whatever the others do: the tolerance is the whole map's, applied
// between pages here and between children by the parent.
const RUN_EVERY_ITEM = { toleratedFailurePercentage: 100 } as const;


/**
 * A child execution: reads its partition page by page, each page in a step (so the cursor is
 * checkpointed with the page's items), processes each page as a ctx.map (or ctx.mapBatches), and
 * only then reads the next page — a crash resumes at the page being processed, never earlier.
 * With a progress board, it reports its counts after each page and stops once the whole map's
 * counts reach the run's completion. With `pagesPerExecution`, it hands the rest of its partition
 * to a fresh execution after that many pages.
 */
export async function runPartition(task: PartitionTask, ctx: DurableContext): Promise<PartitionResult> {
  checkTask(task);
  const definition = definitionNamed(task.map);
  const options = definition.options;
  const source = resolveSource(definition, task.params);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const keep = options.partitionOf && task.filter ? partitionFilter(options, task) : undefined;

  // A continuation goes on with what the executions before it did, and their page numbers.
  const result: PartitionResult = task.carried
    ? { ...task.carried, partition: task.partition, counts: { ...task.carried.counts }, failedItems: [...task.carried.failedItems] }
    : { partition: task.partition, counts: zeroCounts(), pages: 0, failedItems: [], failedItemsTruncated: false };
  const firstPage = result.pages;
  let cursor: unknown = source.kind === "array" ? (task.range?.[0] ?? 0) : task.startCursor;
  for (let page = firstPage; ; page++) {
    if (options.pagesPerExecution !== undefined && page - firstPage === options.pagesPerExecution) {
      return continueInNewExecution(ctx, task, source.kind === "array", cursor, result);
    }
    let read: ReadPage;
    try {
      read = await ctx.step(`read-page-${page}`, async (): Promise<ReadPage> => {
        const raw =
          source.kind === "array"
            ? readArrayPage(source.items, cursor as number, task.range?.[1] ?? source.items.length, pageSize)
            : await readSourcePage(source.readPage, cursor, definition.name);
        return keep ? { ...raw, items: raw.items.filter(keep) } : raw;
      });
    } catch (error) {
      // The page could not be read (its retries spent): end here, keeping the items done so far
      // and where to go on from, rather than failing the whole child and losing its counts.
      if (!(error instanceof StepError)) throw error;
      result.readError = error.cause?.message ?? error.message;
      result.unread = cursorAt(cursor);
      // A partition that cannot be read exceeds any tolerance (its items are unknown): tell the
      // other children now rather than when the parent hears of it.
      const board = options.progressBoard;
      if (board) await ctx.step("post-stop", () => board.stop(task.runId, "FAILURE_TOLERANCE_EXCEEDED"));
      break;
    }
    result.pages = page + 1;
    if (read.items.length > 0) await processPage(ctx, task, options, read.items, page, result);
    const reason = options.progressBoard ? await reportProgress(ctx, options.progressBoard, task, page, result) : undefined;
    if (read.done) break;
    cursor = read.next;
    const failures = result.counts.failed + result.counts.timedOut;
    if (reason !== undefined || (task.stopAfterFailures !== undefined && failures > task.stopAfterFailures)) {
      result.stoppedEarly = true;
      if (reason !== undefined) result.stopReason = reason;
      result.unread = cursorAt(cursor);
      break;
    }
  }
  return result;
}

async function processPage(
  ctx: DurableContext,
  task: PartitionTask,
  options: DistributedMapOptions<unknown, unknown, unknown>,
  items: unknown[],
  page: number,
  result: PartitionResult,
): Promise<void> {
  const shared = {
    maxConcurrency: options.maxConcurrency ?? DEFAULT_ITEM_CONCURRENCY,
    completionConfig: RUN_EVERY_ITEM,
    ...(options.itemTimeout === undefined ? {} : { itemTimeout: options.itemTimeout }),
    ...(options.retryStrategy === undefined ? {} : { retryStrategy: options.retryStrategy }),
    ...(options.partitionKey === undefined ? {} : { partitionKey: options.partitionKey }),
  };
  const info = (index: number) => ({ partition: task.partition, page, index });
  const batch: BatchResult<unknown> =
    options.batchHandler && options.itemBatcher
      ? await ctx.mapBatches(`page-${page}`, items, (c, chunk, at) => options.batchHandler!(chunk, c, info(at.indexes[0] ?? 0)), {
          ...shared,
          itemBatcher: options.itemBatcher,
        })
      : await ctx.map(`page-${page}`, items, (c, item, index) => options.itemHandler!(item, c, info(index)), {
          ...shared,
          ...(options.nesting === undefined ? {} : { nesting: options.nesting }),
        });

  addCounts(result.counts, {
    succeeded: batch.successCount,
    failed: batch.failureCount - batch.timedOutCount,
    timedOut: batch.timedOutCount,
    skipped: batch.skippedCount,
    pending: 0,
    total: batch.successCount + batch.failureCount + batch.skippedCount,
  });
  const failed = batch.failed();
  if (failed.length === 0) return;
  const records: DistributedMapFailedItem[] = failed.map(({ index, status, error }) => {
    const cause = innermostCause(error);
    const errorType = typeof cause?.errorType === "string" ? cause.errorType : typeof cause?.name === "string" ? cause.name : undefined;
    return {
      item: options.itemId ? options.itemId(items[index]) : items[index],
      status: status === "TIMED_OUT" ? "TIMED_OUT" : "FAILED",
      ...(errorType === undefined ? {} : { errorType }),
      errorMessage: typeof cause?.message === "string" ? cause.message : error.message,
      partition: task.partition,
      page,
    };
  });
  const room = Math.max(0, task.maxFailedItems - result.failedItems.length);
  result.failedItems.push(...records.slice(0, room));
  if (records.length > room) result.failedItemsTruncated = true;
  const writer = options.failedItemWriter;
  if (writer) {
    await ctx.step(`write-failed-items-${page}`, async () => {
      await writer.write({ runId: task.runId, partition: task.partition, page, items: records });
    });
  }
}

/** A cursor as `unread` records it: an absent cursor (the source's first page) stays absent. */
function cursorAt(cursor: unknown): { cursor?: unknown } {
  return cursor === undefined ? {} : { cursor };
}

/**
 * Reports this child's counts to the board and reads the whole map's, in a step so the decision
 * to go on is checkpointed (a replay never decides again from a board that has moved on).
 */
async function reportProgress(
  ctx: DurableContext,
  board: DistributedMapProgressBoard,
  task: PartitionTask,
  page: number,
  result: PartitionResult,
): Promise<DistributedMapStopReason | undefined> {
  const decision = await ctx.step(`report-${page}`, async (): Promise<{ stop: DistributedMapStopReason | null }> => {
    const view = await board.report(task.runId, task.partition, { ...result.counts });
    const reason = view.stopped ?? stopReason({ counts: view.counts, childFailed: false }, task.completion, task.totalItems);
    return { stop: reason ?? null };
  });
  return decision.stop ?? undefined;
}

/**
 * Hands the rest of the partition to a fresh execution — a chained invoke of the same function —
 * carrying the counts and failed items so far, and returns its result as this child's: each
 * execution's history holds at most `pagesPerExecution` pages whatever the partition's size.
 * If the continuation fails, this child ends with what it did and the cursor it handed over.
 */
async function continueInNewExecution(
  ctx: DurableContext,
  task: PartitionTask,
  arraySource: boolean,
  cursor: unknown,
  result: PartitionResult,
): Promise<PartitionResult> {
  const { partition: _partition, ...carried } = result;
  const next: PartitionTask = { ...task, carried };
  if (arraySource) next.range = [cursor as number, task.range![1]];
  else if (cursor === undefined) delete next.startCursor;
  else next.startCursor = cursor;
  try {
    return await ctx.invoke<PartitionInput, PartitionResult>(`continue-at-page-${result.pages}`, task.functionName!, { [PARTITION_INPUT_KEY]: next });
  } catch (error) {
    if (!(error instanceof InvokeError)) throw error;
    return { ...result, readError: `the execution continuing the partition failed: ${error.message}`, unread: cursorAt(cursor) };
  }
}

function partitionFilter(options: DistributedMapOptions<unknown, unknown, unknown>, task: PartitionTask): (item: unknown) => boolean {
  const partitionOf = options.partitionOf!;
  const { partition, count } = task.filter === true || task.filter === undefined ? { partition: task.partition, count: task.partitionCount } : task.filter;
  return (item) => {
    const of = partitionOf(item, count);
    if (!Number.isInteger(of) || of < 0 || of >= count) {
      throw new ValidationError(
        `distributed map "${task.map}": partitionOf must return a whole number from 0 to ${count - 1}, got ${JSON.stringify(of)} for ${JSON.stringify(item)}.`,
      );
    }
    return of === partition;
  };
}

function checkTask(task: PartitionTask): void {
  if (typeof task !== "object" || task === null || typeof task.map !== "string" || !Number.isInteger(task.partition)) {
    throw new ValidationError(`A distributed map partition input must name its map and partition; got ${JSON.stringify(task)}.`);
  }
}

type ErrorLike = { name?: unknown; errorType?: unknown; message?: unknown; cause?: unknown };

/** What the item itself threw: the end of the cause chain (context error → step error → the item's error). */
function innermostCause(error: ErrorLike): ErrorLike | undefined {
  let cause = error.cause as ErrorLike | undefined;
  for (let depth = 0; depth < 10 && typeof cause?.cause === "object" && cause.cause !== null; depth++) cause = cause.cause as ErrorLike;
  return cause;
}
