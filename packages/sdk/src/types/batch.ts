import type { ChildContextError } from "../errors/durable-errors.js";
import type { DurableContext } from "./context.js";
import type { Duration } from "./duration.js";
import type { DurableLogger } from "./logger.js";
import type { Serdes } from "./serdes.js";
import type { RetryStrategy } from "./step.js";

export enum BatchItemStatus {
  SUCCEEDED = "SUCCEEDED",
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

export interface BatchItem<TResult> {
  result?: TResult;
  error?: ChildContextError;
  index: number;
  status: BatchItemStatus;
}

export type CompletionReason =
  | "ALL_COMPLETED"
  | "MIN_SUCCESSFUL_REACHED"
  | "FAILURE_TOLERANCE_EXCEEDED"
  | "CUSTOM_COMPLETION_SUCCEEDED"
  | "CUSTOM_COMPLETION_FAILED";

/** The Lambda response that acknowledges an SQS batch partially: the messages listed are redelivered. */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export interface BatchResult<TResult> {
  /**
   * Every started or skipped item, in input order. Items never started (the batch completed
   * before their turn) are absent.
   */
  readonly all: ReadonlyArray<BatchItem<TResult>>;
  succeeded(): Array<BatchItem<TResult> & { result: TResult }>;
  /** FAILED and TIMED_OUT items: every item that has an error. */
  failed(): Array<BatchItem<TResult> & { error: ChildContextError }>;
  started(): Array<BatchItem<TResult> & { status: BatchItemStatus.STARTED }>;
  /** Items that exceeded `itemTimeout` (also in `failed()`). */
  timedOut(): Array<BatchItem<TResult> & { status: BatchItemStatus.TIMED_OUT; error: ChildContextError }>;
  /** Items not run because an earlier item of their partition failed. */
  skipped(): Array<BatchItem<TResult> & { status: BatchItemStatus.SKIPPED }>;
  readonly status: BatchItemStatus.SUCCEEDED | BatchItemStatus.FAILED;
  readonly completionReason: CompletionReason;
  readonly hasFailure: boolean;
  /** Throws the first failed item's error (or a BatchCompletionError for a custom failed completion). */
  throwIfError(): void;
  /** Results of succeeded items, in input order. */
  getResults(): TResult[];
  getErrors(): ChildContextError[];
  readonly successCount: number;
  readonly failureCount: number;
  readonly startedCount: number;
  /** TIMED_OUT items (already counted in failureCount). */
  readonly timedOutCount: number;
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

export enum CompletionOutcome {
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}

export type CompletionDecision = { complete: false } | { complete: true; outcome?: CompletionOutcome };

export interface CompletionItemStatus {
  index: number;
  name?: string;
  status?: BatchItemStatus;
}

export interface CompletionStatus {
  successCount: number;
  /** Failed and timed-out items. */
  failureCount: number;
  /** Of failureCount, the items that timed out: a predicate may choose to forgive them. */
  timedOutCount: number;
  /** Items skipped by the FIFO rule; they count as completed, neither success nor failure. */
  skippedCount: number;
  completedCount: number;
  totalCount: number;
  items: readonly CompletionItemStatus[];
}

export interface ThresholdCompletionConfig {
  /** Complete as soon as this many items succeeded. */
  minSuccessful?: number;
  /** Complete (FAILURE_TOLERANCE_EXCEEDED) once more than this many items failed. */
  toleratedFailureCount?: number;
  /** Complete once more than this percentage (0-100) of all items failed. */
  toleratedFailurePercentage?: number;
  shouldComplete?: never;
}

export interface CustomCompletionConfig {
  shouldComplete: (status: CompletionStatus) => CompletionDecision;
  minSuccessful?: never;
  toleratedFailureCount?: never;
  toleratedFailurePercentage?: never;
}

/** With no config, a batch fails fast: the first failure completes it. */
export type CompletionConfig = ThresholdCompletionConfig | CustomCompletionConfig;

/** `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is not narrowed by it. */
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
  NESTED = "NESTED",
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

export interface MapConfig<TItem, TResult> extends BatchExecutionOptions {
  /** Items started at once, counting items that wait or back off; unbounded when absent. */
  maxConcurrency?: number;
  itemNamer?: (item: TItem, index: number) => string;
  /** Serializes the whole BatchResult checkpointed on the map operation. */
  serdes?: Serdes<BatchResult<TResult>>;
  /** Serializes each item's result. */
  itemSerdes?: Serdes<TResult>;
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

export interface MapBatchesConfig<TItem, TResult> extends BatchExecutionOptions {
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

/** `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is not narrowed by it. */
export type ParallelFunc<TResult, _Logger extends DurableLogger = DurableLogger> = (context: DurableContext) => Promise<TResult>;

/** `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is not narrowed by it. */
export interface NamedParallelBranch<TResult, _Logger extends DurableLogger = DurableLogger> {
  name?: string;
  func: ParallelFunc<TResult>;
}

export interface ParallelConfig<TResult> extends BatchExecutionOptions {
  maxConcurrency?: number;
  serdes?: Serdes<BatchResult<TResult>>;
  itemSerdes?: Serdes<TResult>;
  completionConfig?: CompletionConfig;
  /** Whether each branch gets a CONTEXT operation of its own (NESTED, the default) or not (FLAT); see NestingType. */
  nesting?: NestingType;
  /** As MapConfig.summaryGenerator. */
  summaryGenerator?: (result: BatchResult<TResult>) => string;
}
