// The retry strategy of steps in a queue or stream record handler that set none. The step default
// (6 attempts, 5 s doubling to 60 s) spends a minute or more on a record that can never succeed,
// and holds the whole batch's response for it; but a failed record is not lost — the partial-batch
// response hands it back to the queue, which redelivers it under its own redrive policy (and
// dead-letter queue). So inside the execution a few quick attempts are enough to ride out a blip.
import { createRetryStrategy } from "../retry/retry-strategy.js";
import { JitterStrategy, type RetryDecision, type RetryStrategy } from "../types/step.js";

/** Errors that mean the record's data is malformed: another attempt on the same data fails the same way. */
const MALFORMED_DATA = new Set(["SyntaxError", "StreamRecordDecodeError"]);

const quickBackoff = createRetryStrategy({
  maxAttempts: 3,
  initialDelay: { seconds: 1 },
  maxDelay: { seconds: 2 },
  backoffRate: 2,
  jitter: JitterStrategy.NONE,
});

/**
 * Three attempts, 1 s then 2 s apart (at most 3 s of waiting per step); a `SyntaxError` (e.g. from
 * `JSON.parse` of the body) or a `StreamRecordDecodeError` is not retried at all.
 */
export const recordRetryStrategy: RetryStrategy = (error: Error, attemptsMade: number): RetryDecision => {
  // By name as well as class: after replay the error is rebuilt from its checkpoint.
  if (MALFORMED_DATA.has((error as Error | undefined)?.name ?? "")) return { shouldRetry: false };
  return quickBackoff(error, attemptsMade);
};
