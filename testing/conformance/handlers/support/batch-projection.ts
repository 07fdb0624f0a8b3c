import type { BatchResult } from "@cairn/sdk";

type Projectable = "completionReason" | "status" | "successCount" | "failureCount" | "startedCount" | "totalCount" | "hasFailure";

/** The fields of a BatchResult a requirement's handler returns, e.g. its counts and reason. */
export function projectBatch<K extends Projectable>(result: BatchResult<unknown>, ...fields: K[]): Pick<BatchResult<unknown>, K> {
  const projection = {} as Pick<BatchResult<unknown>, K>;
  for (const field of fields) projection[field] = result[field];
  return projection;
}
