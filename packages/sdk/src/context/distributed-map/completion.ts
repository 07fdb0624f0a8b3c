import type { DistributedMapCompletionConfig, DistributedMapCompletionReason, DistributedMapCounts } from "../../types/distributed-map.js";

/** What the parent knows when it decides whether to start another child. */
export interface Progress {
  counts: DistributedMapCounts;
  /** A child execution failed: how many of its items were lost is unknown. */
  childFailed: boolean;
}

/**
 * The reason to start no more children, or undefined to carry on. Thresholds count every item of
 * every child finished so far; with neither tolerance set, no failure is tolerated (as ctx.map).
 * A percentage is of `totalItems` when the source is an array, else of the items seen so far.
 */
export function stopReason(
  progress: Progress,
  completion: DistributedMapCompletionConfig | undefined,
  totalItems: number | undefined,
): Exclude<DistributedMapCompletionReason, "ALL_COMPLETED"> | undefined {
  if (failureToleranceExceeded(progress, completion, totalItems)) return "FAILURE_TOLERANCE_EXCEEDED";
  const min = completion?.minSuccessful;
  if (min !== undefined && progress.counts.succeeded >= min) return "MIN_SUCCESSFUL_REACHED";
  return undefined;
}

/** Whether the failures so far exceed what the config tolerates. */
export function failureToleranceExceeded(
  progress: Progress,
  completion: DistributedMapCompletionConfig | undefined,
  totalItems: number | undefined,
): boolean {
  if (progress.childFailed) return true;
  const { counts } = progress;
  const failures = counts.failed + counts.timedOut;
  const count = completion?.toleratedFailureCount;
  const percentage = completion?.toleratedFailurePercentage;
  if (count === undefined && percentage === undefined) return failures > 0;
  if (count !== undefined && failures > count) return true;
  if (percentage !== undefined) {
    const seen = totalItems ?? counts.succeeded + counts.failed + counts.timedOut + counts.skipped;
    if (seen > 0 && (failures * 100) / seen > percentage) return true;
  }
  return false;
}

/** A child may stop reading pages once its own failures exceed this (they alone exceed the tolerance). */
export function childFailureLimit(completion: DistributedMapCompletionConfig | undefined): number | undefined {
  if (completion?.toleratedFailureCount !== undefined) return completion.toleratedFailureCount;
  return completion?.toleratedFailurePercentage === undefined ? 0 : undefined;
}
