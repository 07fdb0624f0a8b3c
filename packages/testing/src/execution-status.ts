import type { ExecutionStatus as ServiceExecutionStatus } from "@cairn/sdk";

/**
 * Execution statuses as values, with exactly the members of `ExecutionStatus` in
 * `@aws-sdk/client-lambda` (which the AWS testing library re-exports), so tests written as
 * `expect(r.getStatus()).toBe(ExecutionStatus.SUCCEEDED)` port unchanged. A Cairn execution only
 * ever reports RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED; the others exist on the service.
 */
export const ExecutionStatus = {
  DELETING: "DELETING",
  FAILED: "FAILED",
  PAUSED: "PAUSED",
  PAUSING: "PAUSING",
  RUNNING: "RUNNING",
  STOPPED: "STOPPED",
  SUCCEEDED: "SUCCEEDED",
  TIMED_OUT: "TIMED_OUT",
} as const satisfies Record<ServiceExecutionStatus, ServiceExecutionStatus> & Record<string, string>;
/** Any status a durable execution can have on the service; Cairn's runs report {@link ServiceExecutionStatus}. */
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];
