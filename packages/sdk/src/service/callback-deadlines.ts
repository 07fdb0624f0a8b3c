// When a STARTED callback times out: the earlier of its overall timeout and its heartbeat deadline.
import type { ErrorObject, Operation } from "../protocol/wire.js";

export interface CallbackTimeout {
  at: number;
  /** Which deadline: the overall timeout or a missed heartbeat (the vectors' ErrorType). */
  errorType: "Callback.Timeout" | "Callback.Heartbeat";
}

export function callbackTimeoutOf(op: Operation): CallbackTimeout | undefined {
  if (op.Type !== "CALLBACK" || op.Status !== "STARTED") return undefined;
  const deadlines = op.CallbackDetails?.Deadlines;
  const timeout = deadlines?.TimeoutAtMs;
  const heartbeat = deadlines?.HeartbeatDueAtMs;
  if (heartbeat !== undefined && (timeout === undefined || heartbeat < timeout)) {
    return { at: heartbeat, errorType: "Callback.Heartbeat" };
  }
  return timeout === undefined ? undefined : { at: timeout, errorType: "Callback.Timeout" };
}

export function callbackTimeoutError(timeout: CallbackTimeout): ErrorObject {
  // The AWS testing library's wording, which ported tests compare; ErrorType tells the two apart.
  return {
    ErrorType: timeout.errorType,
    ErrorMessage: timeout.errorType === "Callback.Heartbeat" ? "Callback timed out on heartbeat" : "Callback timed out",
  };
}
