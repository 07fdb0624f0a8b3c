import type { ExecutionStatus as ServiceExecutionStatus } from "@cairn/sdk";

/**
 * Execution statuses as values, so tests written as `expect(r.getStatus()).toBe(ExecutionStatus.SUCCEEDED)`
 * against the AWS testing library keep working.
 */
export const ExecutionStatus = {
  RUNNING: "RUNNING",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  TIMED_OUT: "TIMED_OUT",
  STOPPED: "STOPPED",
} as const satisfies Record<string, ServiceExecutionStatus>;
export type ExecutionStatus = ServiceExecutionStatus;
