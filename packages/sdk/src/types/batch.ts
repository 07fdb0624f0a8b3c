import type { ChildContextError } from "../errors/durable-errors.js";
import type { DurableContext } from "./context.js";
import type { Serdes } from "./serdes.js";

export enum BatchItemStatus {
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  /** Started but not finished when the batch completed (e.g. minSuccessful reached first). */
  STARTED = "STARTED",
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

export interface BatchResult<TResult> {
  /** Every started item, in input order. Items never started are absent. */
  readonly all: ReadonlyArray<BatchItem<TResult>>;
  succeeded(): Array<BatchItem<TResult> & { result: TResult }>;
  failed(): Array<BatchItem<TResult> & { error: ChildContextError }>;
  started(): Array<BatchItem<TResult> & { status: BatchItemStatus.STARTED }>;
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
  /** Number of items that were started (succeeded + failed + still started). */
  readonly totalCount: number;
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
  failureCount: number;
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

export type MapFunc<TInput, TOutput> = (
  context: DurableContext,
  item: TInput,
  index: number,
  items: readonly TInput[],
) => Promise<TOutput>;

export interface MapConfig<TItem, TResult> {
  /** Items started at once, counting items that wait or back off; unbounded when absent. */
  maxConcurrency?: number;
  itemNamer?: (item: TItem, index: number) => string;
  /** Serializes the whole BatchResult checkpointed on the map operation. */
  serdes?: Serdes<BatchResult<TResult>>;
  /** Serializes each item's result. */
  itemSerdes?: Serdes<TResult>;
  completionConfig?: CompletionConfig;
}

export type ParallelFunc<TResult> = (context: DurableContext) => Promise<TResult>;

export interface NamedParallelBranch<TResult> {
  name?: string;
  func: ParallelFunc<TResult>;
}

export interface ParallelConfig<TResult> {
  maxConcurrency?: number;
  serdes?: Serdes<BatchResult<TResult>>;
  itemSerdes?: Serdes<TResult>;
  completionConfig?: CompletionConfig;
}
