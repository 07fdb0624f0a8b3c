import type { ExecutionStatus, ExecutionSummary } from "@cairn/sdk/service";
import { UsageError } from "./usage-error.js";

/** Every status an execution can have, in the order the help lists them. */
export const STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];

/**
 * Parses a `--status` value: one status or several separated by commas, in any case
 * (`--status failed,timed_out`). Names the flag and the valid values when one is wrong.
 */
export function parseStatuses(text: string, command: string, flagName = "--status"): Set<ExecutionStatus> {
  const statuses = new Set<ExecutionStatus>();
  for (const part of text.split(",")) {
    const status = part.trim().toUpperCase();
    if (!(STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`${flagName} "${part.trim()}" is not a status; use one of ${STATUSES.join(", ")} (several separated by commas).`, command);
    }
    statuses.add(status as ExecutionStatus);
  }
  return statuses;
}

/** What `list` (and `prune`) keep: the given statuses, and names containing a substring. */
export interface ExecutionFilter {
  statuses?: Set<ExecutionStatus> | undefined;
  /** Kept when the execution's name contains this text (case-sensitive, as names are). */
  nameContains?: string | undefined;
}

export function matchesFilter(summary: ExecutionSummary, filter: ExecutionFilter): boolean {
  if (filter.statuses !== undefined && !filter.statuses.has(summary.status)) return false;
  if (filter.nameContains !== undefined && !summary.executionName.includes(filter.nameContains)) return false;
  return true;
}
