// A BatchResult read through every member, as plain data for comparison.
import type { BatchResult } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

export function summarize<T>(result: BatchResult<T>) {
  let thrown: unknown;
  try {
    result.throwIfError();
  } catch (error) {
    thrown = describeError(error);
  }
  return {
    status: result.status,
    completionReason: result.completionReason,
    hasFailure: result.hasFailure,
    counts: [result.successCount, result.failureCount, result.startedCount, result.totalCount],
    all: result.all.map((item) => [item.index, item.status]),
    results: result.getResults(),
    errors: result.getErrors().map((error) => error.message),
    succeeded: result.succeeded().map((item) => [item.index, item.result]),
    failed: result.failed().map((item) => [item.index, item.error.message]),
    started: result.started().map((item) => item.index),
    thrown,
  };
}
