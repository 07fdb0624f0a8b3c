import { BatchItemStatus, type CompletionReason } from "../../types/batch.js";

// What a map/parallel operation checkpoints by default: the completion reason and one character
// per input item (S succeeded, F failed, T timed out, K skipped by the FIFO rule, R started but
// unfinished, - never started). Item results and errors are already checkpointed on the items'
// own contexts, so replay rebuilds the BatchResult from those; the summary stays small even for
// very large batches.
const CODES: Record<BatchItemStatus, string> = {
  [BatchItemStatus.SUCCEEDED]: "S",
  [BatchItemStatus.FAILED]: "F",
  [BatchItemStatus.STARTED]: "R",
  [BatchItemStatus.TIMED_OUT]: "T",
  [BatchItemStatus.SKIPPED]: "K",
};
/** The inverse of CODES, so the two can never disagree. */
const STATUS_OF_CODE = new Map(Object.entries(CODES).map(([status, code]) => [code, status as BatchItemStatus]));
const NOT_STARTED = "-";

export interface BatchSummary {
  type: "BatchSummary";
  completionReason: CompletionReason;
  items: string;
  successCount: number;
  failureCount: number;
  totalCount: number;
}

export function encodeSummary(reason: CompletionReason, statuses: (BatchItemStatus | undefined)[]): string {
  let items = "";
  let successCount = 0;
  let failureCount = 0;
  let totalCount = 0;
  for (const status of statuses) {
    items += status === undefined ? NOT_STARTED : CODES[status];
    if (status !== undefined) totalCount++;
    if (status === BatchItemStatus.SUCCEEDED) successCount++;
    if (status === BatchItemStatus.FAILED || status === BatchItemStatus.TIMED_OUT) failureCount++;
  }
  const summary: BatchSummary = { type: "BatchSummary", completionReason: reason, items, successCount, failureCount, totalCount };
  return JSON.stringify(summary);
}

export function decodeSummary(payload: string | undefined): { reason: CompletionReason; statuses: (BatchItemStatus | undefined)[] } | undefined {
  if (payload === undefined) return undefined;
  let parsed: Partial<BatchSummary>;
  try {
    parsed = JSON.parse(payload) as Partial<BatchSummary>;
  } catch {
    return undefined;
  }
  if (parsed?.type !== "BatchSummary" || typeof parsed.items !== "string" || typeof parsed.completionReason !== "string") {
    return undefined;
  }
  const statuses = [...parsed.items].map((code) => STATUS_OF_CODE.get(code));
  return { reason: parsed.completionReason, statuses };
}
