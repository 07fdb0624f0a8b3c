import type { ItemBatcher, NestingType, PartitionKey } from "./batch.js";
import type { DurableContext } from "./context.js";
import type { Duration } from "./duration.js";
import type { RetryStrategy } from "./step.js";

/** One page of a paginated source: its items, and where the next page starts (absent: no more pages). */
export interface DistributedMapPage<TItem, TCursor> {
  /** The page's items, in source order. */
  items: readonly TItem[];
  /** The cursor of the next page; `undefined` or `null` when this was the last page. */
  nextCursor?: TCursor | null | undefined;
}

/**
 * Reads one page. `cursor` is `undefined` for the first page of an unsplit source (or of every
 * partition when the definition has `partitionOf`), else a start cursor from `partitions` or a
 * `nextCursor` an earlier page returned. Cursors are checkpointed: keep them JSON and small.
 */
export type DistributedMapPageReader<TItem, TCursor> = (cursor: TCursor | undefined) => Promise<DistributedMapPage<TItem, TCursor>>;

/** A source read page by page, e.g. DynamoDB Scan pages, S3 listings, a SQL keyset page. */
export interface DistributedMapPaginatedSource<TItem, TCursor> {
  /** Reads one page (see {@link DistributedMapPageReader}). */
  readPage: DistributedMapPageReader<TItem, TCursor>;
  /**
   * Splits the source the source's own way (e.g. DynamoDB parallel scan segments): one start
   * cursor per partition, each read until a page has no `nextCursor`. Called once by the parent,
   * in a step, with the configured `partitions` count; it may return fewer cursors.
   */
  partitions?(count: number): readonly TCursor[] | Promise<readonly TCursor[]>;
}

/** What a definition's `source` returns: an array, a paginated source, or a bare page reader. */
export type DistributedMapSource<TItem, TCursor> =
  | readonly TItem[]
  | DistributedMapPaginatedSource<TItem, TCursor>
  | DistributedMapPageReader<TItem, TCursor>;

/** Where an item sits, as the item handler sees it. */
export interface DistributedMapItemInfo {
  /** The child's partition number (0-based). */
  partition: number;
  /** The page of the partition the item was read in (0-based). */
  page: number;
  /** The item's position in its page (for `batchHandler`, the chunk's first item's). */
  index: number;
}

/** An item that failed or timed out, as the summary and the failed-item writer record it. */
export interface DistributedMapFailedItem {
  /** The item's identity: the definition's `itemId(item)`, else the item itself. */
  item: unknown;
  /** FAILED or TIMED_OUT. */
  status: "FAILED" | "TIMED_OUT";
  /** The error's type, when it has one. */
  errorType?: string | undefined;
  /** The error's message. */
  errorMessage: string;
  /** The partition it was read in. */
  partition: number;
  /** The page of that partition. */
  page: number;
}

/** One page's failed items, handed to a {@link DistributedMapFailedItemWriter}. */
export interface DistributedMapFailedItemBatch {
  /** Identifies the distributed map run: the parent execution and the map's operation. */
  runId: string;
  /** The child's partition. */
  partition: number;
  /** The page of the partition. */
  page: number;
  /** The page's failed and timed-out items (never empty). */
  items: readonly DistributedMapFailedItem[];
}

/**
 * Receives the full list of failed items, page by page, from inside a step of the child that
 * processed them. A crash between the write and the step's checkpoint writes the same batch again:
 * writing must be idempotent by `(runId, partition, page)` (replace, not append).
 */
export interface DistributedMapFailedItemWriter {
  /** Stores one page's failed items. */
  write(batch: DistributedMapFailedItemBatch): Promise<void>;
}

/** Why a distributed map stops starting or running children: a completion reason other than ALL_COMPLETED. */
export type DistributedMapStopReason = Exclude<DistributedMapCompletionReason, "ALL_COMPLETED">;

/** What the children of a run have reported so far, as a {@link DistributedMapProgressBoard} gives it back. */
export interface DistributedMapBoardView {
  /** Each reporting partition's latest counts, summed. */
  counts: DistributedMapCounts;
  /** Set once the parent decided the map stops (e.g. a child execution failed). */
  stopped?: DistributedMapStopReason | undefined;
}

/**
 * Shares counts between the children of a running distributed map, so the run's
 * `completionConfig` applies across all items while children are still running: after each page
 * a child reports its own counts so far and reads everyone's, and stops reading pages once the
 * sums meet `minSuccessful` or exceed the tolerated failures; the parent posts a stop there too.
 * Without a board a child stops only on its own failures, and the others learn of them when it
 * ends. Calls come from inside steps and may be repeated after a crash, so `report` replaces the
 * partition's earlier counts (never adds to them), and `stop` may be posted more than once.
 */
export interface DistributedMapProgressBoard {
  /** Records `counts` as partition's latest (replacing earlier ones) and returns the run's view. */
  report(runId: string, partition: number, counts: DistributedMapCounts): Promise<DistributedMapBoardView>;
  /** The run's view, without reporting. */
  read(runId: string): Promise<DistributedMapBoardView>;
  /** Tells the run's children to stop reading pages, for `reason`; the first reason posted stays. */
  stop(runId: string, reason: DistributedMapStopReason): Promise<void>;
  /**
   * Removes what the board holds for a run. Called once by the parent, from a step, when every
   * child of the run has ended (so nothing reports to it any more); optional.
   */
  forget?(runId: string): Promise<void>;
}

/**
 * The processing half of a distributed map, defined at module scope with `defineDistributedMap`
 * so a child execution finds it by name without running the parent's handler. The options a child
 * applies to each page are those of `ctx.map` (or `ctx.mapBatches` with `itemBatcher`).
 */
export interface DistributedMapOptions<TItem, TParams = unknown, TCursor = unknown> {
  /**
   * The items, given the run's `params`. Called by the parent (to plan partitions) and by every
   * child (to read its partition), so it must give the same items each time for the same params.
   */
  source: (params: TParams) => DistributedMapSource<TItem, TCursor>;
  /** Processes one item with its own child context (as a `ctx.map` function). Or use `batchHandler`. */
  itemHandler?: (item: TItem, ctx: DurableContext, info: DistributedMapItemInfo) => Promise<unknown>;
  /**
   * Processes one chunk of items (with `itemBatcher`, as a `ctx.mapBatches` function), returning
   * one result per item; a throw fails every item of the chunk.
   */
  batchHandler?: (items: TItem[], ctx: DurableContext, info: DistributedMapItemInfo) => Promise<readonly unknown[]>;
  /** How a page's items are chunked for `batchHandler` (required with it). */
  itemBatcher?: ItemBatcher;
  /** Items (or chunks) processed at once inside one child. Default 10. */
  maxConcurrency?: number;
  /** How long one item (or chunk) may take; past it, it ends TIMED_OUT. Whole seconds. */
  itemTimeout?: Duration;
  /** Retry strategy of the steps inside an item that set none. */
  retryStrategy?: RetryStrategy;
  /** Per-key order inside a page, as `ctx.map`'s `partitionKey`. */
  partitionKey?: (item: TItem, index: number) => PartitionKey;
  /**
   * How each item is recorded in the child, as `ctx.map`'s `nesting`: `FLAT` gives an item no
   * operation of its own, so a child's history holds only the items' own steps (the way to keep
   * large partitions inside a store's history limit); an item's code outside its steps then runs
   * again when its page is replayed. Not with `itemTimeout` or `batchHandler`.
   */
  nesting?: NestingType;
  /**
   * Splits by item instead of by source position: with it, every child reads the whole source and
   * keeps the items for which `partitionOf(item, partitionCount)` is its partition (0-based).
   */
  partitionOf?: (item: TItem, partitionCount: number) => number;
  /** The identity recorded for a failed item (default: the item itself). Keep it small. */
  itemId?: (item: TItem) => unknown;
  /** Items per page when the source is an array (default 100). */
  pageSize?: number;
  /**
   * Pages one child execution reads before it hands the rest of its partition to a fresh
   * execution (a chained invoke of the same function, carrying the counts so far) and returns
   * that one's result. Keeps each execution's history bounded — on AWS about 25 000 operations —
   * however large a partition is. Default: no limit (a child reads its whole partition).
   */
  pagesPerExecution?: number;
  /** Receives every failed item, page by page (the summary keeps only the first `maxFailedItems`). */
  failedItemWriter?: DistributedMapFailedItemWriter;
  /**
   * Where the children of a run share their counts while they run, so the run's completion
   * (tolerated failures, `minSuccessful`) stops running children too, not only unstarted ones.
   * It must be reachable from wherever children run: `MemoryProgressBoard` in one process (the
   * local runner, `cairn run`), `FileProgressBoard` (`@cairn/sdk/service`) on one machine,
   * `DynamoDbProgressBoard` (`@cairn/dynamodb`) across workers or Lambda invocations.
   */
  progressBoard?: DistributedMapProgressBoard;
}

/** A distributed map's processing half, as `defineDistributedMap` returns it. */
export interface DistributedMapDefinition<TItem, TParams = unknown, TCursor = unknown> {
  /** The name children look the definition up by. */
  readonly name: string;
  /** The options it was defined with. */
  readonly options: DistributedMapOptions<TItem, TParams, TCursor>;
}

/** Completion across all items of the map; see {@link DistributedMapConfig.completionConfig}. */
export interface DistributedMapCompletionConfig {
  /** Start no more children once this many items succeeded. */
  minSuccessful?: number;
  /** Start no more children once more than this many items failed or timed out. */
  toleratedFailureCount?: number;
  /** Start no more children once more than this percentage (0-100) of the items so far failed. */
  toleratedFailurePercentage?: number;
}

/** Options of one run of a distributed map (`ctx.distributedMap(definition, config)`). */
export interface DistributedMapConfig<TParams = unknown> {
  /** Handed to the definition's `source` in the parent and in every child. JSON; it travels in each child's input. */
  params?: TParams;
  /** Children running at once. Default 10. */
  maxChildExecutions?: number;
  /** Array sources: items per child (the array is split into consecutive ranges). */
  itemsPerChild?: number;
  /**
   * How many children: the count handed to the source's `partitions`, the `partitionCount` of
   * the definition's `partitionOf`, or for an array the number of equal ranges. Default 1.
   */
  partitions?: number;
  /**
   * When to stop starting children, counted over all items. Default: no failure tolerated (as
   * `ctx.map`). A child stops reading pages once its own failures exceed `toleratedFailureCount`;
   * with the definition's `progressBoard`, once the whole map's counts reach completion.
   */
  completionConfig?: DistributedMapCompletionConfig;
  /** Failed items kept in the summary (the writer receives them all). Default 100. */
  maxFailedItems?: number;
  /**
   * Runs only what an earlier run of this definition left unprocessed — the partitions that
   * never started, whose child failed or stopped early — each from where it stopped (the
   * earlier result's `children[].remaining`). Pass the same `params` as that run. Failed items
   * are not in it: redrive those from the failed-item writer.
   */
  continueFrom?: DistributedMapResult;
  /**
   * The function id children are invoked at (a chained invoke). Default: the function's own name
   * (`lambdaContext.functionName`), so the function invokes itself.
   */
  functionName?: string;
}

/** Item counts of a distributed map or one of its children. */
export interface DistributedMapCounts {
  /** Items that succeeded. */
  succeeded: number;
  /** Items that failed (timed-out items are counted in `timedOut` only). */
  failed: number;
  /** Items that exceeded `itemTimeout`. */
  timedOut: number;
  /** Items not run because an earlier item of their `partitionKey` failed. */
  skipped: number;
  /** Items known but not processed: those of array ranges whose child never started or failed. */
  pending: number;
  /** The sum of the above. */
  total: number;
}

/** Why the distributed map stopped starting children (or ALL_COMPLETED when it never did). */
export type DistributedMapCompletionReason = "ALL_COMPLETED" | "MIN_SUCCESSFUL_REACHED" | "FAILURE_TOLERANCE_EXCEEDED";

/** What became of one child. */
export interface DistributedMapChildOutcome {
  /** The partition (0-based). */
  partition: number;
  /**
   * SUCCEEDED: the child ran its partition (its items may have failed); STOPPED_EARLY: it stopped
   * reading pages once completion was reached (its own failures, or the whole map's through a
   * progress board); FAILED: the child execution failed, or reading a page kept failing;
   * NOT_STARTED: completion was reached first.
   */
  status: "SUCCEEDED" | "STOPPED_EARLY" | "FAILED" | "NOT_STARTED";
  /** Its items' counts (absent when the child never started or its execution failed). */
  counts?: DistributedMapCounts;
  /** Why the child execution failed, or why it could not read its next page. */
  errorMessage?: string;
  /**
   * Where the partition's unprocessed items start, when it did not run to its end (NOT_STARTED,
   * STOPPED_EARLY, FAILED): what `config.continueFrom` runs.
   */
  remaining?: DistributedMapRemainder;
}

/** The unprocessed part of a partition: an array range, or where to read on, in the source's terms. */
export interface DistributedMapRemainder {
  /** Array sources: positions [from, to) not yet processed. */
  range?: [number, number];
  /** Paginated sources: the cursor of the first page not processed (absent: the source's first page). */
  cursor?: unknown;
  /** Split by `partitionOf`: the partition's items are those `partitionOf(item, count)` gives `partition` for. */
  partitionOf?: {
    /** The bucket of the run that stopped. */
    partition: number;
    /** That run's partition count. */
    count: number;
  };
}

/** The result of a distributed map: counts and outcomes, never the items' results. */
export interface DistributedMapResult {
  /** The definition's name. */
  map: string;
  /** Identifies this run: the failed-item writer's batches carry it (e.g. `JsonLinesFailedItemWriter.read(runId)`). */
  runId: string;
  /** Counts over all items. */
  counts: DistributedMapCounts;
  /** Why it completed. */
  completionReason: DistributedMapCompletionReason;
  /** One entry per partition, in partition order. */
  children: DistributedMapChildOutcome[];
  /** The first `maxFailedItems` failed items, children in partition order. */
  failedItems: DistributedMapFailedItem[];
  /** Whether more items failed than `failedItems` holds (the writer has them all). */
  failedItemsTruncated: boolean;
}
