// How a failed call to the Lambda durable-execution API is treated. The service answers a stale or
// invalid checkpoint token with a 4xx whose message names the token; that ends only this
// invocation (a newer one owns the execution, or Lambda retries this one). Throttling, 5xx and
// network failures are transient: retried here with backoff, then this invocation ends so Lambda
// invokes again. Any other 4xx will not improve on retry: the execution fails.

export type FailureKind = "stale-token" | "transient" | "permanent";

interface AwsLikeError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Errors that arrive as 5xx but are the account's configuration, not a passing fault. */
const PERMANENT_DESPITE_5XX = new Set(["KMSAccessDeniedException", "KMSDisabledException", "KMSInvalidStateException", "KMSNotFoundException"]);

const THROTTLING = new Set(["TooManyRequestsException", "ThrottlingException", "Throttling", "RequestLimitExceeded"]);

export function isStaleTokenError(error: unknown): boolean {
  const e = (error ?? {}) as AwsLikeError;
  const text = [e.name, e.code, e.message].filter((v): v is string => typeof v === "string").join(" ").toLowerCase();
  return text.includes("invalid checkpoint token") || text.includes("invalidcheckpointtoken") || text.includes("stale checkpoint token");
}

export function classifyLambdaError(error: unknown): FailureKind {
  const e = (error ?? {}) as AwsLikeError;
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const name = typeof e.name === "string" ? e.name : "";
  if (PERMANENT_DESPITE_5XX.has(name)) return "permanent";
  if (isStaleTokenError(error)) return "stale-token";
  if (status === 429 || THROTTLING.has(name)) return "transient";
  if (status !== undefined && status >= 400 && status < 500) return "permanent";
  // 5xx, or no answer at all (connection refused or reset, timeout): worth another try.
  return "transient";
}
