import { CompletionOutcome, type CompletionDecision, type ThresholdCompletionConfig } from "../../types/batch.js";

/** Every item must succeed: the first failure completes the batch (the default). */
export function allSuccessful(): ThresholdCompletionConfig {
  return { toleratedFailureCount: 0 };
}

/** Complete as soon as one item succeeds; failures are tolerated until then. */
export function firstSuccessful(): ThresholdCompletionConfig {
  return { minSuccessful: 1 };
}

/** Run every item to completion whatever fails. */
export function allCompleted(): ThresholdCompletionConfig {
  return { toleratedFailurePercentage: 100 };
}

/** Complete once `count` items succeeded, optionally tolerating some failures before that. */
export function minSuccessful(
  count: number,
  tolerance: { toleratedFailureCount?: number; toleratedFailurePercentage?: number } = {},
): ThresholdCompletionConfig {
  return { minSuccessful: count, ...tolerance };
}

/** A `shouldComplete` decision to keep going: start and await the remaining items. */
export function continueBatch(): CompletionDecision {
  return { complete: false };
}

/**
 * A `shouldComplete` decision to complete the batch now, as `outcome` (default SUCCEEDED; FAILED
 * makes the batch FAILED and `throwIfError` throw even when no item failed).
 */
export function completeBatch(outcome: CompletionOutcome = CompletionOutcome.SUCCEEDED): CompletionDecision {
  return { complete: true, outcome };
}
