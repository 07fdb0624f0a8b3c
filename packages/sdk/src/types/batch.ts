import type { ChildContextError } from "../errors/durable-errors.js";
import type { DurableContext } from "./context.js";
import type { Duration } from "./duration.js";
import type { DurableLogger } from "./logger.js";
import type { Serdes } from "./serdes.js";
import type { RetryStrategy } from "./step.js";

/** What became of one item of a map, parallel or mapBatches. */
export enum BatchItemStatus {
  /** Finished with a result. */
  SUCCEEDED = "SUCCEEDED",
  /** Threw (after its steps' retries); has an `error`. */
  FAILED = "FAILED",
  /**
   * Started but not finished when the batch completed (e.g. minSuccessful reached first). Its
   * context's signal was aborted and it can no longer write checkpoints.
   */
  STARTED = "STARTED",
  /**
   * Did not finish within `itemTimeout`. Has an `error` (cause: BatchItemTimeoutError) and counts
   * as a failure: in `failed()`, `failureCount`, `hasFailure` and the completion thresholds.
   */
  TIMED_OUT = "TIMED_OUT",
  /**
   * Never run because an earlier item with the same `partitionKey` failed or timed out (the FIFO
   * rule). Neither a success nor a failure for completion; has no result and no error.
   */
  SKIPPED = "SKIPPED",
}

/** One item (or branch) of a {@link BatchResult}. */
export interface BatchItem<TResult> {
  /** The item's result, when it SUCCEEDED. */
  result?: TResult;
  /** Why the item FAILED or TIMED_OUT; its `cause` chain holds what the item threw. */
  error?: ChildContextError;
  /** The item's position in the input (for mapBatches, the input item's, not the chunk's). */
  index: number;
  /** What became of the item. */
  status: BatchItemStatus;
}

/**
 * Why a batch completed: every item finished, `minSuccessful` was reached, more items failed
 * than tolerated (also the default fail-fast), or a custom `shouldComplete` said so.
 */
export type CompletionReason =
  | "ALL_COMPLETED"
  | "MIN_SUCCESSFUL_REACHED"
  | "FAILURE_TOLERANCE_EXCEEDED"
  | "CUSTOM_COMPLETION_SUCCEEDED"
  | "CUSTOM_COMPLETION_FAILED";

/** The Lambda response that acknowledges an SQS batch partially: the messages listed are redelivered. */
export interface SqsBatchResponse {
  /** The records to redeliver. */
  batchItemFailures: Array<{
    /** The record's `messageId`. */
    itemIdentifier: string;
  }>;
}

/**
 * The outcome of a map, parallel or mapBatches: one {@link BatchItem} per started or skipped item,
 * with counts and helpers. Failed items do not reject the operation; decide here, e.g. with
 * {@link BatchResult.throwIfError}. Replay rebuilds an identical result from the checkpoints.
 * `JSON.stringify` writes what the AWS SDK writes: `{ all, completionReason }`.
 */
export interface BatchResult<TResult> {
  /**
   * Every started or skipped item, in input order. Items never started (the batch completed
   * before their turn) are absent.
   */
  readonly all: ReadonlyArray<BatchItem<TResult>>;
  /** SUCCEEDED items, in input order. */
  succeeded(): Array<
    BatchItem<TResult> & {
      /** The item's result. */
      result: TResult;
    }
  >;
  /** FAILED and TIMED_OUT items: every item that has an error. */
  failed(): Array<
    BatchItem<TResult> & {
      /** Why the item failed. */
      error: ChildContextError;
    }
  >;
  /** Items still running when the batch completed early (their signal was aborted). */
  started(): Array<
    BatchItem<TResult> & {
      /** Always STARTED. */
      status: BatchItemStatus.STARTED;
    }
  >;
  /** Items that exceeded `itemTimeout` (also in `failed()`). */
  timedOut(): Array<
    BatchItem<TResult> & {
      /** Always TIMED_OUT. */
      status: BatchItemStatus.TIMED_OUT;
      /** Its cause is a BatchItemTimeoutError. */
      error: ChildContextError;
    }
  >;
  /** Items not run because an earlier item of their partition failed. */
  skipped(): Array<
    BatchItem<TResult> & {
      /** Always SKIPPED. */
      status: BatchItemStatus.SKIPPED;
    }
  >;
  /** FAILED if any item failed (or a custom completion said so), else SUCCEEDED. */
  readonly status: BatchItemStatus.SUCCEEDED | BatchItemStatus.FAILED;
  /** Why the batch completed. */
  readonly completionReason: CompletionReason;
  /** Whether any item failed or timed out. */
  readonly hasFailure: boolean;
  /** Throws the first failed item's error (or a BatchCompletionError for a custom failed completion). */
  throwIfError(): void;
  /** Results of succeeded items, in input order. */
  getResults(): TResult[];
  /** Errors of failed and timed-out items, in input order. */
  getErrors(): ChildContextError[];
  /** SUCCEEDED items. */
  readonly successCount: number;
  /** FAILED and TIMED_OUT items. */
  readonly failureCount: number;
  /** Items still STARTED when the batch completed. */
  readonly startedCount: number;
  /** TIMED_OUT items (already counted in failureCount). */
  readonly timedOutCount: number;
  /** SKIPPED items. */
  readonly skippedCount: number;
  /** Number of items in `all` (succeeded + failed + timed out + still started + skipped). */
  readonly totalCount: number;
  /**
   * The partial-batch response for the SQS records this batch ran over (record i is item i):
   * every record whose item did not succeed — failed, timed out, skipped, still started or never
   * started — is listed for redelivery. Throws a ValidationError when `records` is not the list
   * the batch ran over (a different length or a record without a messageId).
   */
  toSqsBatchResponse(records: ReadonlyArray<{ messageId: string }>): SqsBatchResponse;
}

/** The batch status a custom completion gives (see {@link CustomCompletionConfig}). */
export enum CompletionOutcome {
  /** The batch SUCCEEDED (CUSTOM_COMPLETION_SUCCEEDED). */
  SUCCEEDED = "SUCCEEDED",
  /** The batch FAILED (CUSTOM_COMPLETION_FAILED); `throwIfError` throws a BatchCompletionError. */
  FAILED = "FAILED",
}

/** What `shouldComplete` returns after each settled item. */
export type CompletionDecision =
  | {
      /** Keep going. */
      complete: false;
    }
  | {
      /** Complete the batch now; running items are aborted and end STARTED. */
      complete: true;
      /** The batch's status (default SUCCEEDED). */
      outcome?: CompletionOutcome;
    };

/** One item as `shouldComplete` sees it. */
export interface CompletionItemStatus {
  /** The item's input index. */
  index: number;
  /** Declared as in the AWS SDK; Cairn does not set it (use `index`). */
  name?: string;
  /** What became of it; absent while it has not settled. */
  status?: BatchItemStatus;
}

/** The batch's progress, handed to `shouldComplete` after each settled item. */
export interface CompletionStatus {
  /** Items that succeeded so far. */
  successCount: number;
  /** Failed and timed-out items. */
  failureCount: number;
  /** Of failureCount, the items that timed out: a predicate may choose to forgive them. */
  timedOutCount: number;
  /** Items skipped by the FIFO rule; they count as completed, neither success nor failure. */
  skippedCount: number;
  /** Items settled so far (success, failure or skipped). */
  completedCount: number;
  /** Items in the batch. */
  totalCount: number;
  /** Every item, in input order. */
  items: readonly CompletionItemStatus[];
}

/** Completion by thresholds; see the helpers {@link allSuccessful}, {@link firstSuccessful}, {@link allCompleted}, {@link minSuccessful}. */
export interface ThresholdCompletionConfig {
  /** Complete as soon as this many items succeeded. */
  minSuccessful?: number;
  /** Complete (FAILURE_TOLERANCE_EXCEEDED) once more than this many items failed. */
  toleratedFailureCount?: number;
  /** Complete once more than this percentage (0-100) of all items failed. */
  toleratedFailurePercentage?: number;
  /** Not with thresholds: see {@link CustomCompletionConfig}. */
  shouldComplete?: never;
}

/** Completion decided by your own predicate, called after each settled item. */
export interface CustomCompletionConfig {
  /** Whether the batch is complete, and with which outcome. */
  shouldComplete: (status: CompletionStatus) => CompletionDecision;
  /** Not with `shouldComplete`. */
  minSuccessful?: never;
  /** Not with `shouldComplete`. */
  toleratedFailureCount?: never;
  /** Not with `shouldComplete`. */
  toleratedFailurePercentage?: never;
}

/** With no config, a batch fails fast: the first failure completes it. */
export type CompletionConfig = ThresholdCompletionConfig | CustomCompletionConfig;

/**
 * Processes one map item with the item's own child context (call operations on it, not on the
 * enclosing context). `_Logger` is accepted so annotations written for the AWS SDK compile;
 * Cairn's context logger is not narrowed by it.
 */
export type MapFunc<TInput, TOutput, _Logger extends DurableLogger = DurableLogger> = (
  context: DurableContext,
  item: TInput,
  index: number,
  // Mutable as in the AWS SDK, so a function declared with `items: T[]` is accepted.
  items: TInput[],
) => Promise<TOutput>;

/** Keys that order a map's items: equal keys run one after another in input order. */
export type PartitionKey = string | number;

/**
 * How a map or parallel records its items or branches (the AWS SDK's values).
 *
 * - `NESTED` (default): each item/branch runs in a child context with a CONTEXT operation of its
 *   own (sub-type MapIteration / ParallelBranch), which holds its result or error; its operations
 *   are that context's children.
 * - `FLAT`: an item/branch has no operation of its own. Its operations keep their positional ids
 *   (`<map id>-<item>-<n>`) but record the map/parallel itself as their parent, so the execution
 *   has fewer operations and its history fewer events. Results, errors, completion and
 *   `BatchResult` are the same; on replay an item's function runs again and its operations answer
 *   from their checkpoints. An item should make at least one durable operation (a step):
 *   computation outside operations is not checkpointed and runs again on every replay.
 */
export enum NestingType {
  /** Each item/branch has a CONTEXT operation of its own (the default). */
  NESTED = "NESTED",
  /** Items/branches have no operation of their own; `itemTimeout` is refused. */
  FLAT = "FLAT",
}

/** Options that map, parallel and mapBatches share beyond the AWS SDK's (Cairn additions). */
export interface BatchExecutionOptions {
  /**
   * How long one item (a parallel branch, a map item, a mapBatches chunk) may take, counted from
   * its first start and held across suspensions and replays. An item past it ends TIMED_OUT, its
   * context's signal aborts, and it can write no further checkpoints. Whole seconds, at least 1.
   */
  itemTimeout?: Duration;
  /**
   * Retry strategy of every step inside an item (nested child contexts included) that does not
   * pass its own `retryStrategy`. Steps outside the batch are not affected.
   */
  retryStrategy?: RetryStrategy;
}

/** Options of {@link DurableContext.map}. */
export interface MapConfig<TItem, TResult> extends BatchExecutionOptions {
  /** Items started at once, counting items that wait or back off; unbounded when absent. */
  maxConcurrency?: number;
  /** Names each item's context (default `map-item-<index>`); derive it from the item, not the time. */
  itemNamer?: (item: TItem, index: number) => string;
  /** Serializes the whole BatchResult checkpointed on the map operation. */
  serdes?: Serdes<BatchResult<TResult>>;
  /** Serializes each item's result. */
  itemSerdes?: Serdes<TResult>;
  /** When the batch completes; default: at the first failure. */
  completionConfig?: CompletionConfig;
  /**
   * Orders items by key: items with the same key run one after another in input order, different
   * keys in parallel (up to maxConcurrency). When an item fails or times out, the later items of
   * its key are not run and end SKIPPED. Must return a string or a finite number.
   */
  partitionKey?: (item: TItem, index: number) => PartitionKey;
  /** Whether each item gets a CONTEXT operation of its own (NESTED, the default) or not (FLAT); see NestingType. */
  nesting?: NestingType;
  /**
   * A description of the result, kept (as `summary`) with the map's checkpointed summary for
   * people and tools reading the execution; replay never reads it. Not used with `serdes`.
   */
  summaryGenerator?: (result: BatchResult<TResult>) => string;
}

/** How mapBatches groups items into chunks, in input order. */
export interface ItemBatcher {
  /** At most this many items per chunk (a whole number >= 1), e.g. 25 for DynamoDB BatchWriteItem. */
  maxItemsPerBatch: number;
  /**
   * At most this many bytes of items per chunk, each item measured as UTF-8 JSON. An item larger
   * than this on its own is rejected before anything runs.
   */
  maxBytesPerBatch?: number;
}

/** Where a chunk's items sit in the input. */
export interface ItemBatchInfo {
  /** 0-based number of the chunk. */
  batchIndex: number;
  /** Input index of each item of the chunk, in order. */
  indexes: readonly number[];
}

/**
 * Processes one chunk in its own child context and returns one result per item, in the chunk's
 * order. A thrown error (after the step retries) fails every item of the chunk.
 */
export type MapBatchFunc<TInput, TOutput> = (
  context: DurableContext,
  batch: TInput[],
  info: ItemBatchInfo,
) => Promise<readonly TOutput[]>;

/** Options of {@link DurableContext.mapBatches}. */
export interface MapBatchesConfig<TItem, TResult> extends BatchExecutionOptions {
  /** How items are grouped into chunks (required). */
  itemBatcher: ItemBatcher;
  /** Chunks started at once; unbounded when absent. */
  maxConcurrency?: number;
  /** Names each chunk's child context. */
  batchNamer?: (batch: readonly TItem[], info: ItemBatchInfo) => string;
  /** Serializes each chunk's result array. */
  itemSerdes?: Serdes<TResult[]>;
  /** Counted in items: a failed chunk of 25 is 25 failures. */
  completionConfig?: CompletionConfig;
  /** As in map; a chunk holds items of one key only, and keys keep their input order. */
  partitionKey?: (item: TItem, index: number) => PartitionKey;
}

/**
 * One parallel branch, run with its own child context. `_Logger` is accepted so annotations
 * written for the AWS SDK compile; Cairn's context logger is not narrowed by it.
 */
export type ParallelFunc<TResult, _Logger extends DurableLogger = DurableLogger> = (context: DurableContext) => Promise<TResult>;

/**
 * A parallel branch with a name for its context. `_Logger` is accepted so annotations written for
 * the AWS SDK compile; Cairn's context logger is not narrowed by it.
 */
export interface NamedParallelBranch<TResult, _Logger extends DurableLogger = DurableLogger> {
  /** Names the branch's context (default `parallel-branch-<index>`). */
  name?: string;
  /** The branch. */
  func: ParallelFunc<TResult>;
}

/** Options of {@link DurableContext.parallel}. */
export interface ParallelConfig<TResult> extends BatchExecutionOptions {
  /** Branches started at once, counting branches that wait or back off; unbounded when absent. */
  maxConcurrency?: number;
  /** Serializes the whole BatchResult checkpointed on the parallel operation. */
  serdes?: Serdes<BatchResult<TResult>>;
  /** Serializes each branch's result. */
  itemSerdes?: Serdes<TResult>;
  /** When the batch completes; default: at the first failure. */
  completionConfig?: CompletionConfig;
  /** Whether each branch gets a CONTEXT operation of its own (NESTED, the default) or not (FLAT); see NestingType. */
  nesting?: NestingType;
  /** As MapConfig.summaryGenerator. */
  summaryGenerator?: (result: BatchResult<TResult>) => string;
}

/**
 * One item of a concurrent execution, as the AWS SDK declares it for its internal executor:
 * declared so annotations naming it compile. Cairn's `map` and `parallel` take their items and
 * functions directly.
 */
export interface ConcurrentExecutionItem<T> {
  /** The item's id. */
  id: string;
  /** The item itself. */
  data: T;
  /** Its position in the input. */
  index: number;
  /** Its name, when it has one. */
  name?: string;
}

/** The function run per {@link ConcurrentExecutionItem}; declared as in the AWS SDK (see there). */
export type ConcurrentExecutor<TItem, TResult, _Logger extends DurableLogger = DurableLogger> = (
  item: ConcurrentExecutionItem<TItem>,
  childContext: DurableContext,
) => Promise<TResult>;

/** Options of a concurrent execution, declared as in the AWS SDK (see {@link ConcurrentExecutionItem}). */
export interface ConcurrencyConfig<TResult> {
  /** Items run at once at most (default: all). */
  maxConcurrency?: number;
  /** Sub-type of the batch's own operation. */
  topLevelSubType?: string;
  /** Sub-type of each item's operation. */
  iterationSubType?: string;
  /** A description of the result kept with the batch's summary. */
  summaryGenerator?: (result: BatchResult<TResult>) => string;
  /** How the batch's result is stored. */
  serdes?: Serdes<BatchResult<TResult>>;
  /** How each item's result is stored. */
  itemSerdes?: Serdes<TResult>;
  /** When the batch is complete. */
  completionConfig?: CompletionConfig;
  /** Whether each item gets an operation of its own. */
  nesting?: NestingType;
}

