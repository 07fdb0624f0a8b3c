import { ValidationError } from "../../errors/validation-error.js";
import type { CompletionConfig, CompletionItemStatus, CompletionReason } from "../../types/batch.js";

export interface Tally {
  successCount: number;
  failureCount: number;
  timedOutCount: number;
  skippedCount: number;
  completedCount: number;
  totalCount: number;
  items: () => readonly CompletionItemStatus[];
}

/** Rejects configs that cannot be honoured, before anything is checkpointed. */
export function validateBatchConfig(
  operation: string,
  itemCount: number,
  maxConcurrency: number | undefined,
  completion: CompletionConfig | undefined,
): void {
  if (maxConcurrency !== undefined && maxConcurrency !== null) {
    if (typeof maxConcurrency !== "number" || !Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new ValidationError(
        `${operation}: maxConcurrency must be a whole number >= 1 (or omitted for no limit), got ${String(maxConcurrency)}.`,
      );
    }
  }
  if (!completion) return;
  if (typeof completion !== "object") throw new ValidationError(`${operation}: completionConfig must be an object.`);
  const { minSuccessful, toleratedFailureCount, toleratedFailurePercentage, shouldComplete } = completion;
  if (shouldComplete !== undefined) {
    if (typeof shouldComplete !== "function") {
      throw new ValidationError(`${operation}: completionConfig.shouldComplete must be a function.`);
    }
    if (minSuccessful !== undefined || toleratedFailureCount !== undefined || toleratedFailurePercentage !== undefined) {
      throw new ValidationError(
        `${operation}: completionConfig.shouldComplete cannot be combined with minSuccessful, toleratedFailureCount or toleratedFailurePercentage.`,
      );
    }
    return;
  }
  if (minSuccessful !== undefined) {
    if (!Number.isInteger(minSuccessful) || minSuccessful < 1) {
      throw new ValidationError(`${operation}: completionConfig.minSuccessful must be a whole number >= 1, got ${minSuccessful}.`);
    }
    if (minSuccessful > itemCount) {
      throw new ValidationError(
        `${operation}: completionConfig.minSuccessful (${minSuccessful}) is more than the number of items (${itemCount}); it could never be reached.`,
      );
    }
  }
  if (toleratedFailureCount !== undefined && (!Number.isInteger(toleratedFailureCount) || toleratedFailureCount < 0)) {
    throw new ValidationError(
      `${operation}: completionConfig.toleratedFailureCount must be a whole number >= 0, got ${toleratedFailureCount}.`,
    );
  }
  if (
    toleratedFailurePercentage !== undefined &&
    (typeof toleratedFailurePercentage !== "number" ||
      !Number.isFinite(toleratedFailurePercentage) ||
      toleratedFailurePercentage < 0 ||
      toleratedFailurePercentage > 100)
  ) {
    throw new ValidationError(
      `${operation}: completionConfig.toleratedFailurePercentage must be between 0 and 100, got ${toleratedFailurePercentage}.`,
    );
  }
}

/**
 * Whether the batch is complete after an item settled, and why. Failure tolerance is checked
 * first; with no criteria at all the batch fails fast on the first failure.
 */
export function completionReason(config: CompletionConfig | undefined, tally: Tally): CompletionReason | undefined {
  const allDone = tally.completedCount === tally.totalCount;
  if (config?.shouldComplete) {
    const decision = config.shouldComplete({
      successCount: tally.successCount,
      failureCount: tally.failureCount,
      timedOutCount: tally.timedOutCount,
      skippedCount: tally.skippedCount,
      completedCount: tally.completedCount,
      totalCount: tally.totalCount,
      items: tally.items(),
    });
    if (decision.complete) return decision.outcome === "FAILED" ? "CUSTOM_COMPLETION_FAILED" : "CUSTOM_COMPLETION_SUCCEEDED";
    return allDone ? "ALL_COMPLETED" : undefined;
  }
  const hasCriteria =
    config !== undefined &&
    (config.minSuccessful !== undefined ||
      config.toleratedFailureCount !== undefined ||
      config.toleratedFailurePercentage !== undefined);
  if (!hasCriteria) {
    if (tally.failureCount > 0) return "FAILURE_TOLERANCE_EXCEEDED";
  } else {
    if (config.toleratedFailureCount !== undefined && tally.failureCount > config.toleratedFailureCount) {
      return "FAILURE_TOLERANCE_EXCEEDED";
    }
    if (
      config.toleratedFailurePercentage !== undefined &&
      tally.totalCount > 0 &&
      (tally.failureCount / tally.totalCount) * 100 > config.toleratedFailurePercentage
    ) {
      return "FAILURE_TOLERANCE_EXCEEDED";
    }
  }
  if (allDone) return "ALL_COMPLETED";
  if (config?.minSuccessful !== undefined && tally.successCount >= config.minSuccessful) return "MIN_SUCCESSFUL_REACHED";
  return undefined;
}
