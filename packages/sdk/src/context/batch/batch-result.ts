import { BatchCompletionError, type ChildContextError } from "../../errors/durable-errors.js";
import { BatchItemStatus, type BatchItem, type BatchResult, type CompletionReason } from "../../types/batch.js";

/** The outcome of a map or parallel: one item per started branch, in input order. */
export class BatchResultImpl<T> implements BatchResult<T> {
  readonly successCount: number;
  readonly failureCount: number;
  readonly startedCount: number;

  constructor(
    readonly all: ReadonlyArray<BatchItem<T>>,
    readonly completionReason: CompletionReason,
  ) {
    let succeeded = 0;
    let failed = 0;
    let started = 0;
    for (const item of all) {
      if (item.status === BatchItemStatus.SUCCEEDED) succeeded++;
      else if (item.status === BatchItemStatus.FAILED) failed++;
      else started++;
    }
    this.successCount = succeeded;
    this.failureCount = failed;
    this.startedCount = started;
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
    return this.all.filter((item) => item.status === BatchItemStatus.FAILED) as Array<
      BatchItem<T> & { error: ChildContextError }
    >;
  }

  started(): Array<BatchItem<T> & { status: BatchItemStatus.STARTED }> {
    return this.all.filter((item) => item.status === BatchItemStatus.STARTED) as Array<
      BatchItem<T> & { status: BatchItemStatus.STARTED }
    >;
  }

  getResults(): T[] {
    return this.succeeded().map((item) => item.result);
  }

  getErrors(): ChildContextError[] {
    return this.failed().map((item) => item.error);
  }

  throwIfError(): void {
    const first = this.all.find((item) => item.status === BatchItemStatus.FAILED);
    if (first?.error) throw first.error;
    if (this.status === BatchItemStatus.FAILED) throw new BatchCompletionError(this.completionReason);
  }

  /** A plain summary for logs and JSON: counts, reason and per-item status. */
  toJSON(): object {
    return {
      completionReason: this.completionReason,
      status: this.status,
      successCount: this.successCount,
      failureCount: this.failureCount,
      startedCount: this.startedCount,
      totalCount: this.totalCount,
      items: this.all.map((item) => ({
        index: item.index,
        status: item.status,
        ...(item.status === BatchItemStatus.SUCCEEDED ? { result: item.result } : {}),
        ...(item.error ? { error: { type: item.error.errorType, message: item.error.message } } : {}),
      })),
    };
  }
}
