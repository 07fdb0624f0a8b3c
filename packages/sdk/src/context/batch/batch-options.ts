import { ValidationError } from "../../errors/validation-error.js";
import { checkRetryStrategyOption } from "../../retry/check-retry-strategy.js";
import { NestingType, type BatchExecutionOptions, type ItemBatcher } from "../../types/batch.js";
import { wholeSeconds } from "../../types/duration.js";
import type { RetryStrategy } from "../../types/step.js";

/** The Cairn-only batch options, checked and normalised. */
export interface ResolvedBatchOptions {
  itemTimeoutSeconds: number | undefined;
  retryStrategy: RetryStrategy | undefined;
}

/** Checks itemTimeout and retryStrategy before anything runs or is written. */
export function resolveBatchOptions(operation: string, options: BatchExecutionOptions): ResolvedBatchOptions {
  const { itemTimeout, retryStrategy } = options;
  const itemTimeoutSeconds =
    itemTimeout === undefined || itemTimeout === null ? undefined : wholeSeconds(itemTimeout, `${operation}: itemTimeout`);
  checkRetryStrategyOption(operation, retryStrategy);
  return { itemTimeoutSeconds, retryStrategy: retryStrategy ?? undefined };
}

export function checkPartitionKeyOption(operation: string, partitionKey: unknown): void {
  if (partitionKey !== undefined && typeof partitionKey !== "function") {
    throw new ValidationError(
      `${operation}: partitionKey must be a function (item, index) => string | number, got ${typeof partitionKey}.`,
    );
  }
}

export function checkItemBatcher(operation: string, batcher: ItemBatcher | undefined): ItemBatcher {
  if (batcher === undefined || batcher === null || typeof batcher !== "object") {
    throw new ValidationError(`${operation}: itemBatcher is required, e.g. { maxItemsPerBatch: 25 }.`);
  }
  const { maxItemsPerBatch, maxBytesPerBatch } = batcher;
  if (typeof maxItemsPerBatch !== "number" || !Number.isInteger(maxItemsPerBatch) || maxItemsPerBatch < 1) {
    throw new ValidationError(
      `${operation}: itemBatcher.maxItemsPerBatch must be a whole number >= 1, got ${String(maxItemsPerBatch)}.`,
    );
  }
  if (
    maxBytesPerBatch !== undefined &&
    (typeof maxBytesPerBatch !== "number" || !Number.isInteger(maxBytesPerBatch) || maxBytesPerBatch < 1)
  ) {
    throw new ValidationError(
      `${operation}: itemBatcher.maxBytesPerBatch must be a whole number of bytes >= 1 (or omitted), got ${String(maxBytesPerBatch)}.`,
    );
  }
  return batcher;
}

/**
 * Whether the batch runs its units FLAT (without CONTEXT operations of their own). Checked before
 * anything is written; itemTimeout needs NESTED, as a timed-out item is recorded on its own operation.
 */
export function isFlat(operation: string, nesting: unknown, itemTimeoutSeconds: number | undefined): boolean {
  if (nesting === undefined || nesting === null || nesting === NestingType.NESTED) return false;
  if (nesting !== NestingType.FLAT) {
    throw new ValidationError(`${operation}: nesting must be NestingType.NESTED or NestingType.FLAT, got ${JSON.stringify(nesting)}.`);
  }
  if (itemTimeoutSeconds !== undefined) {
    throw new ValidationError(
      `${operation}: itemTimeout needs nesting NESTED (a timed-out item is recorded on its own context operation, which FLAT leaves out); remove one of them.`,
    );
  }
  return true;
}

export function checkSummaryGenerator(operation: string, summaryGenerator: unknown): void {
  if (summaryGenerator !== undefined && typeof summaryGenerator !== "function") {
    throw new ValidationError(`${operation}: summaryGenerator must be a function (result) => string, got ${typeof summaryGenerator}.`);
  }
}
