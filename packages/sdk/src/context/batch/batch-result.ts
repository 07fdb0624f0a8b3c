import { BatchCompletionError, type ChildContextError } from "../../errors/durable-errors.js";
import { BatchItemStatus, type BatchItem, type BatchResult, type CompletionReason, type SqsBatchResponse } from "../../types/batch.js";
import { sqsBatchResponse } from "./sqs-batch-response.js";

const isFailure = (status: BatchItemStatus): boolean => status === BatchItemStatus.FAILED || status === BatchItemStatus.TIMED_OUT;

/** The outcome of a map or parallel: one item per started or skipped branch, in input order. */
export class BatchResultImpl<T> implements BatchResult<T> {
  readonly successCount: number;
  readonly failureCount: number;
  readonly startedCount: number;
  readonly timedOutCount: number;
  readonly skippedCount: number;

  constructor(
    readonly all: ReadonlyArray<BatchItem<T>>,
    readonly completionReason: CompletionReason,
    /** How many items the batch ran over (started or not), to check toSqsBatchResponse's records. */
    readonly inputCount: number = all.length,
  ) {
    let succeeded = 0;
    let failed = 0;
    let started = 0;
    let timedOut = 0;
    let skipped = 0;
    for (const item of all) {
      switch (item.status) {
        case BatchItemStatus.SUCCEEDED:
          succeeded++;
          break;
        case BatchItemStatus.TIMED_OUT:
          timedOut++;
          failed++;
          break;
        case BatchItemStatus.FAILED:
          failed++;
          break;
        case BatchItemStatus.SKIPPED:
          skipped++;
          break;
        default:
          started++;
      }
    }
    this.successCount = succeeded;
    this.failureCount = failed;
    this.startedCount = started;
    this.timedOutCount = timedOut;
    this.skippedCount = skipped;
  }

  get totalCount(): number {
    return this.all.length;
  }

  get hasFailure(): boolean {
    return this.failureCount > 0;
  }

  get status(): BatchItemStatus.SUCCEEDED | BatchItemStatus.FAILED {
    if (this.completionReason === "CUSTOM_COMPLETION_FAILED") return BatchItemStatus.FAILED;
    if (this.completionReason === "CUSTOM_COMPLETION_SUCCEEDED") return BatchItemStatus.SUCCEEDED;
    return this.hasFailure ? BatchItemStatus.FAILED : BatchItemStatus.SUCCEEDED;
  }

  succeeded(): Array<BatchItem<T> & { result: T }> {
    return this.all.filter((item) => item.status === BatchItemStatus.SUCCEEDED) as Array<BatchItem<T> & { result: T }>;
  }

  failed(): Array<BatchItem<T> & { error: ChildContextError }> {
    return this.all.filter((item) => isFailure(item.status)) as Array<BatchItem<T> & { error: ChildContextError }>;
  }

  started(): Array<BatchItem<T> & { status: BatchItemStatus.STARTED }> {
    return this.all.filter((item) => item.status === BatchItemStatus.STARTED) as Array<
      BatchItem<T> & { status: BatchItemStatus.STARTED }
    >;
  }

  timedOut(): Array<BatchItem<T> & { status: BatchItemStatus.TIMED_OUT; error: ChildContextError }> {
    return this.all.filter((item) => item.status === BatchItemStatus.TIMED_OUT) as Array<
      BatchItem<T> & { status: BatchItemStatus.TIMED_OUT; error: ChildContextError }
    >;
  }

  skipped(): Array<BatchItem<T> & { status: BatchItemStatus.SKIPPED }> {
    return this.all.filter((item) => item.status === BatchItemStatus.SKIPPED) as Array<
      BatchItem<T> & { status: BatchItemStatus.SKIPPED }
    >;
  }

  getResults(): T[] {
    return this.succeeded().map((item) => item.result);
  }

  getErrors(): ChildContextError[] {
    return this.failed().map((item) => item.error);
  }

  throwIfError(): void {
    const first = this.all.find((item) => isFailure(item.status));
    if (first?.error) throw first.error;
    if (this.status === BatchItemStatus.FAILED) throw new BatchCompletionError(this.completionReason);
  }

  toSqsBatchResponse(records: ReadonlyArray<{ messageId: string }>): SqsBatchResponse {
    return sqsBatchResponse(this.all, this.inputCount, records);
  }

  /**
   * What `JSON.stringify` writes, as the AWS SDK writes it: `{ all, completionReason }`, each item
   * `{ result | error, index, status }` with the error as JSON.stringify writes the error itself.
   * Counts and status are derived, so they are not written; `restoreBatchResult` reads this back.
   */
  toJSON(): BatchResultJson<T> {
    return { all: this.all.map(itemJson), completionReason: this.completionReason };
  }
}

/** The JSON form of a BatchResult (see BatchResultImpl.toJSON). */
export interface BatchResultJson<T> {
  all: Array<BatchItem<T>>;
  completionReason: CompletionReason;
}

function itemJson<T>(item: BatchItem<T>): BatchItem<T> {
  // The AWS SDK's key order, so the JSON text matches too, not only the parsed value.
  const json: Partial<BatchItem<T>> = {};
  if (item.result !== undefined) json.result = item.result;
  if (item.error !== undefined) json.error = item.error;
  json.index = item.index;
  json.status = item.status;
  return json as BatchItem<T>;
}

/**
 * A BatchResult over items already decided, e.g. rebuilt by a custom map/parallel `serdes` from
 * its own encoding. Items are taken in the order given (input order).
 */
export function createBatchResult<T>(items: ReadonlyArray<BatchItem<T>>, completionReason: CompletionReason): BatchResult<T> {
  return new BatchResultImpl(items, completionReason);
}
