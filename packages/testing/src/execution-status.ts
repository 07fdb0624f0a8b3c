import type { ExecutionStatus as ServiceExecutionStatus } from "@cairn/sdk/service";

/**
 * Execution statuses as values, with exactly the members of `ExecutionStatus` in
 * `@aws-sdk/client-lambda` (which the AWS testing library re-exports), so tests written as
 * `expect(r.getStatus()).toBe(ExecutionStatus.SUCCEEDED)` port unchanged. A Cairn execution only
 * ever reports RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED; the others exist on the service.
 */
export const ExecutionStatus = {
  /** The service is deleting the execution (never reported by Cairn). */
  DELETING: "DELETING",
  /** The handler threw (an operation error it did not catch included); `getError()` says why. */
  FAILED: "FAILED",
  /** Paused on the service (never reported by Cairn). */
  PAUSED: "PAUSED",
  /** Being paused on the service (never reported by Cairn). */
  PAUSING: "PAUSING",
  /** Not finished yet, e.g. when the run was aborted through its `signal`. */
  RUNNING: "RUNNING",
  /** Stopped from outside before it finished; `getError()` says why when the stopper gave a reason. */
  STOPPED: "STOPPED",
  /** The handler returned; `getResult()` holds what it returned. */
  SUCCEEDED: "SUCCEEDED",
  /** The execution outlived its execution timeout. */
  TIMED_OUT: "TIMED_OUT",
} as const satisfies Record<ServiceExecutionStatus, ServiceExecutionStatus> & Record<string, string>;
/**
 * Any status a durable execution can have on the service. Cairn's runs report only RUNNING,
 * SUCCEEDED, FAILED, TIMED_OUT and STOPPED.
 */
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];
