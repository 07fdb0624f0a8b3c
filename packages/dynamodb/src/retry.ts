// Retries for DynamoDB calls. Throttling, 5xx and network failures are retried with capped,
// jittered exponential backoff on top of whatever the AWS SDK client already retries; anything
// else (validation, missing table, permissions) is permanent and surfaces at once.
import { setTimeout as sleep } from "node:timers/promises";
import { shownValue } from "@cairn/sdk/backend";
import { DynamoDbRequestError, DynamoDbUnavailableError } from "./errors.js";

/**
 * How Cairn retries a DynamoDB request that failed for a transient reason (throttling, 5xx,
 * network), on top of the AWS SDK client's own retries. The wait before retry `n` is random
 * between 0 and `min(maxDelayMs, baseDelayMs * 2^(n-1))` ("full jitter"). When the attempts run
 * out the call rejects with {@link DynamoDbUnavailableError}. Set it through the `retry` option of
 * the store (or `store.retry` of the client and the workers); fields left out keep their defaults.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 10). */
  maxAttempts: number;
  /** Longest wait before the first retry, in milliseconds; doubles per attempt (default 25). */
  baseDelayMs: number;
  /** Cap on the wait before any retry, in milliseconds (default 2000). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 25, maxDelayMs: 2_000 };

/**
 * `policy` over the defaults (a field left out or undefined keeps its default), checked where it
 * is given: NaN attempts would retry a transient failure for ever, and NaN or negative delays
 * would spend every attempt within milliseconds of a throttle. `where` names the option in the
 * error, e.g. "createWorker: store.retry".
 *
 * @throws TypeError when `policy` is not an object; RangeError for a field out of range.
 */
export function retryPolicyOf(where: string, policy: Partial<RetryPolicy> | undefined): RetryPolicy {
  if (policy === undefined) return DEFAULT_RETRY_POLICY;
  if (typeof policy !== "object" || policy === null) {
    throw new TypeError(`${where} must be an object ({ maxAttempts, baseDelayMs, maxDelayMs }), got ${shownValue(policy)}.`);
  }
  const merged: RetryPolicy = {
    maxAttempts: policy.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    baseDelayMs: policy.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: policy.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1) {
    throw new RangeError(`${where}.maxAttempts must be a positive integer, got ${shownValue(merged.maxAttempts)}.`);
  }
  for (const field of ["baseDelayMs", "maxDelayMs"] as const) {
    const value = merged[field];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`${where}.${field} must be a number of milliseconds >= 0, got ${shownValue(value)}.`);
    }
  }
  return merged;
}

const TRANSIENT_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "LimitExceededException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "TransactionInProgressException",
]);

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH"]);

/** Cancellation reasons of a transaction that say "try again", not "your condition failed". */
const TRANSIENT_CANCEL_CODES = new Set(["ThrottlingError", "TransactionConflict", "ProvisionedThroughputExceeded"]);

interface AwsLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  CancellationReasons?: { Code?: string }[];
}

export function isTransient(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as AwsLikeError;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (e.name === "TransactionCanceledException") {
    const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? "None");
    // Only when nothing failed for a real reason: a failed condition is an answer, not a glitch.
    return codes.some((c) => TRANSIENT_CANCEL_CODES.has(c)) && codes.every((c) => c === "None" || TRANSIENT_CANCEL_CODES.has(c));
  }
  return false;
}

/** Errors the caller handles itself (a failed condition means a concurrent writer). */
export function isConditionFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as AwsLikeError;
  return e.name === "ConditionalCheckFailedException" || (e.name === "TransactionCanceledException" && !isTransient(error));
}

/**
 * Runs `call` until it succeeds, fails permanently, or the attempts run out. Condition failures
 * are returned to the caller unchanged; other permanent errors are wrapped in DynamoDbRequestError.
 */
export async function withRetry<T>(
  operation: string,
  tableName: string,
  policy: RetryPolicy,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      if (!isTransient(error)) throw new DynamoDbRequestError(operation, tableName, error);
      if (attempt >= policy.maxAttempts) throw new DynamoDbUnavailableError(operation, tableName, attempt, error);
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.random() * cap);
    }
  }
}
