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

export function callbackTimeoutError(op: Operation, timeout: CallbackTimeout): ErrorObject {
  const deadlines = op.CallbackDetails?.Deadlines;
  const seconds =
    timeout.errorType === "Callback.Heartbeat"
      ? deadlines?.HeartbeatTimeoutSeconds
      : Math.round((timeout.at - op.StartTimestamp.getTime()) / 1000);
  return {
    ErrorType: timeout.errorType,
    ErrorMessage:
      timeout.errorType === "Callback.Heartbeat"
        ? `No heartbeat or result arrived for the callback within its heartbeat timeout of ${seconds} s`
        : `The callback was not completed within its timeout of ${seconds} s`,
  };
}
