import { shownValue } from "../../errors/shown-value.js";
import { ValidationError } from "../../errors/validation-error.js";
import { NestingType } from "../../types/batch.js";
import { wholeSeconds } from "../../types/duration.js";
import type { DistributedMapConfig, DistributedMapOptions } from "../../types/distributed-map.js";

// Checked where the user hands them over (defineDistributedMap, ctx.distributedMap), before
// anything is checkpointed, each error naming the field and what to pass instead.

function wholeNumber(what: string, field: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ValidationError(`${what}: ${field} must be a whole number >= ${min}, got ${shownValue(value)}.`);
  }
}

function optionalFunction(what: string, field: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new ValidationError(`${what}: ${field} must be a function when given, got ${typeof value}.`);
  }
}

/** Checks the options of defineDistributedMap. */
export function validateDefinitionOptions(name: string, options: DistributedMapOptions<unknown, unknown, unknown>): void {
  const what = `defineDistributedMap("${name}")`;
  if (typeof options !== "object" || options === null) {
    throw new ValidationError(`${what}: pass the options { source, itemHandler, ... }.`);
  }
  if (typeof options.source !== "function") {
    throw new ValidationError(`${what}: source must be a function (params) => items array, paginated source or page reader.`);
  }
  const hasItem = options.itemHandler !== undefined;
  const hasBatch = options.batchHandler !== undefined;
  if (hasItem === hasBatch) {
    throw new ValidationError(`${what}: pass exactly one of itemHandler (one item at a time) or batchHandler (with itemBatcher).`);
  }
  optionalFunction(what, "itemHandler", options.itemHandler);
  optionalFunction(what, "batchHandler", options.batchHandler);
  if (hasBatch && options.itemBatcher === undefined) {
    throw new ValidationError(`${what}: batchHandler needs itemBatcher, e.g. { maxItemsPerBatch: 25 }.`);
  }
  if (hasItem && options.itemBatcher !== undefined) {
    throw new ValidationError(`${what}: itemBatcher chunks items for batchHandler; with itemHandler, leave it out.`);
  }
  if (options.itemBatcher !== undefined) {
    if (typeof options.itemBatcher !== "object" || options.itemBatcher === null) {
      throw new ValidationError(`${what}: itemBatcher must be an object { maxItemsPerBatch, maxBytesPerBatch? }.`);
    }
    wholeNumber(what, "itemBatcher.maxItemsPerBatch", options.itemBatcher.maxItemsPerBatch ?? null, 1);
    // The rule ctx.mapBatches applies (checkItemBatcher); checked here, not first in every child.
    wholeNumber(what, "itemBatcher.maxBytesPerBatch", options.itemBatcher.maxBytesPerBatch, 1);
  }
  // As ctx.map and ctx.mapBatches check it (resolveBatchOptions), but before any child starts.
  if (options.itemTimeout !== undefined && options.itemTimeout !== null) wholeSeconds(options.itemTimeout, `${what}: itemTimeout`);
  if (options.nesting !== undefined && options.nesting !== NestingType.NESTED && options.nesting !== NestingType.FLAT) {
    throw new ValidationError(`${what}: nesting must be NestingType.NESTED or NestingType.FLAT, got ${JSON.stringify(options.nesting)}.`);
  }
  if (options.nesting === NestingType.FLAT && (options.itemTimeout !== undefined || hasBatch)) {
    throw new ValidationError(`${what}: nesting FLAT gives items no operation to time out or chunk; leave out itemTimeout and batchHandler, or use NESTED.`);
  }
  wholeNumber(what, "maxConcurrency", options.maxConcurrency, 1);
  wholeNumber(what, "pageSize", options.pageSize, 1);
  wholeNumber(what, "pagesPerExecution", options.pagesPerExecution, 1);
  optionalFunction(what, "retryStrategy", options.retryStrategy);
  optionalFunction(what, "partitionKey", options.partitionKey);
  optionalFunction(what, "partitionOf", options.partitionOf);
  optionalFunction(what, "itemId", options.itemId);
  const writer = options.failedItemWriter;
  if (writer !== undefined && (typeof writer !== "object" || writer === null || typeof writer.write !== "function")) {
    throw new ValidationError(`${what}: failedItemWriter must have a write(batch) function.`);
  }
  const board = options.progressBoard;
  if (board !== undefined && (typeof board !== "object" || board === null || !["report", "read", "stop"].every((f) => typeof (board as unknown as Record<string, unknown>)[f] === "function"))) {
    throw new ValidationError(`${what}: progressBoard must have report(runId, partition, counts), read(runId) and stop(runId, reason) functions, e.g. new MemoryProgressBoard().`);
  }
  if (board !== undefined && board.forget !== undefined && typeof board.forget !== "function") {
    throw new ValidationError(`${what}: progressBoard.forget must be a function (runId) => Promise<void> when given.`);
  }
}

/** Checks the config of ctx.distributedMap. */
export function validateRunConfig(name: string, config: DistributedMapConfig<unknown> | undefined): void {
  const what = `distributedMap("${name}")`;
  if (config === undefined) return;
  if (typeof config !== "object" || config === null) {
    throw new ValidationError(`${what}: config must be an object { params?, maxChildExecutions?, partitions?, itemsPerChild?, ... }.`);
  }
  wholeNumber(what, "config.maxChildExecutions", config.maxChildExecutions, 1);
  wholeNumber(what, "config.itemsPerChild", config.itemsPerChild, 1);
  wholeNumber(what, "config.partitions", config.partitions, 1);
  wholeNumber(what, "config.maxFailedItems", config.maxFailedItems, 0);
  if (config.itemsPerChild !== undefined && config.partitions !== undefined) {
    throw new ValidationError(`${what}: pass config.itemsPerChild or config.partitions, not both.`);
  }
  if (config.continueFrom !== undefined && (config.itemsPerChild !== undefined || config.partitions !== undefined)) {
    throw new ValidationError(`${what}: config.continueFrom takes its partitions from the earlier run; leave out config.partitions and config.itemsPerChild.`);
  }
  if (config.functionName !== undefined && (typeof config.functionName !== "string" || config.functionName.length === 0)) {
    throw new ValidationError(`${what}: config.functionName must be a non-empty string (the function the children run in).`);
  }
  if (config.params !== undefined && JSON.stringify(config.params) === undefined) {
    throw new ValidationError(`${what}: config.params must be JSON (it travels in every child's input).`);
  }
  const completion = config.completionConfig;
  if (completion === undefined) return;
  if (typeof completion !== "object" || completion === null) {
    throw new ValidationError(`${what}: config.completionConfig must be an object { minSuccessful?, toleratedFailureCount?, toleratedFailurePercentage? }.`);
  }
  if ("shouldComplete" in completion) {
    throw new ValidationError(`${what}: config.completionConfig.shouldComplete is not supported by a distributed map; use the thresholds.`);
  }
  wholeNumber(what, "config.completionConfig.minSuccessful", completion.minSuccessful, 1);
  wholeNumber(what, "config.completionConfig.toleratedFailureCount", completion.toleratedFailureCount, 0);
  const pct = completion.toleratedFailurePercentage;
  if (pct !== undefined && (typeof pct !== "number" || !(pct >= 0 && pct <= 100))) {
    throw new ValidationError(`${what}: config.completionConfig.toleratedFailurePercentage must be a number from 0 to 100, got ${JSON.stringify(pct)}.`);
  }
}
