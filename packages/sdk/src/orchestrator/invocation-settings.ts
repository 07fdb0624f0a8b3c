// Checks of the settings an invocation runs with, made where they are handed over (runExecution,
// invokeOnce) and before anything is started: each of these, when wrong, misbehaves quietly and
// far away rather than failing.
import { shownValue } from "../errors/shown-value.js";
import type { NondeterminismPolicy } from "../service/service-api.js";

/**
 * `invocationTimeoutMs`: a positive, finite number of milliseconds. NaN made every operation see
 * its time budget as spent (the run then ended in NoProgressError, naming nothing); a string was
 * concatenated onto the clock's time; 0 or less turned yielding off.
 */
export function checkInvocationTimeout(where: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${where}: invocationTimeoutMs must be a positive number of milliseconds, got ${shownValue(value)}`);
  }
}

/** `onNondeterminism`: any value but "block" used to mean "fail", so a typo failed executions for good. */
export function checkNondeterminismPolicy(where: string, value: unknown): asserts value is NondeterminismPolicy | undefined {
  if (value !== undefined && value !== "block" && value !== "fail") {
    throw new TypeError(`${where}: onNondeterminism must be "block" or "fail", got ${shownValue(value)}`);
  }
}
