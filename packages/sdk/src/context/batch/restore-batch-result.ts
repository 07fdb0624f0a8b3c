// A custom map/parallel `serdes` may store the BatchResult as its JSON (`{ all, completionReason }`)
// and hand that plain shape back on replay. Like the AWS SDK, Cairn turns it back into a full
// BatchResult there, so the handler gets the same members (counts, status, getResults, throwIfError)
// on every run.
import { ChildContextError, errorFromObject } from "../../errors/durable-errors.js";
import type { ErrorObject } from "../../protocol/wire.js";
import { BatchItemStatus, type BatchItem, type BatchResult, type CompletionReason } from "../../types/batch.js";
import { BatchResultImpl } from "./batch-result.js";

const REASONS: Record<CompletionReason, true> = {
  ALL_COMPLETED: true,
  MIN_SUCCESSFUL_REACHED: true,
  FAILURE_TOLERANCE_EXCEEDED: true,
  CUSTOM_COMPLETION_SUCCEEDED: true,
  CUSTOM_COMPLETION_FAILED: true,
};
const STATUSES = new Set<string>(Object.values(BatchItemStatus));
const MAX_CAUSE_DEPTH = 16;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * What a custom batch serdes returned, as a BatchResult: a BatchResult is returned as is; a value
 * with an `all` array (the JSON shape) is rebuilt, its items' errors as ChildContextErrors; any
 * other value is returned unchanged, as the AWS SDK does.
 */
export function restoreBatchResult<T>(value: unknown, inputCount?: number): BatchResult<T> {
  if (value instanceof BatchResultImpl || !isObject(value) || !Array.isArray(value.all)) return value as BatchResult<T>;
  // Already a working BatchResult (e.g. made with createBatchResult by the serdes itself).
  if (typeof value.getResults === "function" && typeof value.throwIfError === "function") return value as unknown as BatchResult<T>;
  const items = (value.all as unknown[]).map((entry, position) => restoreItem<T>(entry, position));
  const reason = typeof value.completionReason === "string" && value.completionReason in REASONS ? (value.completionReason as CompletionReason) : "ALL_COMPLETED";
  return new BatchResultImpl(items, reason, Math.max(inputCount ?? 0, items.length));
}

function restoreItem<T>(entry: unknown, position: number): BatchItem<T> {
  const fields: Fields = isObject(entry) ? entry : {};
  const error = fields.error === undefined || fields.error === null ? undefined : asChildContextError(fields.error);
  const status =
    typeof fields.status === "string" && STATUSES.has(fields.status)
      ? (fields.status as BatchItemStatus)
      : error
        ? BatchItemStatus.FAILED
        : BatchItemStatus.SUCCEEDED;
  const item: BatchItem<T> = { index: typeof fields.index === "number" ? fields.index : position, status };
  if (fields.result !== undefined) item.result = fields.result as T;
  if (error) item.error = error;
  return item;
}

function asChildContextError(value: unknown): ChildContextError {
  const error = restoreError(value, 0);
  return error instanceof ChildContextError ? error : new ChildContextError(error.message, error);
}

/**
 * An error from any form a serdes is likely to have written: an Error, an ErrorObject as
 * checkpoints hold it (`ErrorType`, `ErrorMessage`, with `Cause` as the AWS SDK's batch serdes
 * nests it), or the error's own JSON (`errorType`/`name`, `errorMessage`/`message`, `cause`).
 */
function restoreError(value: unknown, depth: number): Error {
  if (value instanceof Error) return value;
  if (!isObject(value)) return new ChildContextError(typeof value === "string" ? value : JSON.stringify(value));
  const checkpointForm = "ErrorType" in value || "ErrorMessage" in value;
  const object: ErrorObject = checkpointForm
    ? { ErrorType: text(value.ErrorType), ErrorMessage: text(value.ErrorMessage), ErrorData: text(value.ErrorData) }
    : {
        ErrorType: text(value.errorType) ?? text(value.name),
        ErrorMessage: text(value.errorMessage) ?? text(value.message),
        ErrorData: text(value.errorData),
      };
  const stackTrace = checkpointForm ? value.StackTrace : value.stackTrace;
  if (Array.isArray(stackTrace) && stackTrace.every((line) => typeof line === "string")) object.StackTrace = stackTrace as string[];
  const error = errorFromObject(object) as Error & { cause?: unknown };
  const cause = checkpointForm ? value.Cause : value.cause;
  if (cause !== undefined && cause !== null && error.cause === undefined && depth < MAX_CAUSE_DEPTH) {
    error.cause = restoreError(cause, depth + 1);
  }
  return error;
}
