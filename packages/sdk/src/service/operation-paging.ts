// Pages an execution's operations in insertion order (the EXECUTION operation first). Markers are
// opaque to callers; internally they are the position of the next operation, which is stable
// because operations are never removed or reordered.
import type { Operation } from "../protocol/wire.js";
import { cloneOperation } from "./clone.js";
import { InvalidRequestError } from "./errors.js";
import type { ExecutionRecord } from "./execution-record.js";

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 10_000;

const MARKER_PREFIX = "ops:";

function encodeMarker(position: number): string {
  return Buffer.from(`${MARKER_PREFIX}${position}`).toString("base64url");
}

function decodeMarker(marker: string): number {
  const text = Buffer.from(marker, "base64url").toString("utf8");
  const position = text.startsWith(MARKER_PREFIX) ? Number(text.slice(MARKER_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new InvalidRequestError(`Invalid Marker "${marker}": pass back the NextMarker of a previous page unchanged.`);
  }
  return position;
}

export interface OperationsPage {
  /** Copies: callers may mutate them freely. */
  operations: Operation[];
  nextMarker?: string;
}

export function pageOperations(record: ExecutionRecord, marker?: string, maxItems?: number): OperationsPage {
  const size = maxItems ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new InvalidRequestError(`MaxItems must be a whole number from 1 to ${MAX_PAGE_SIZE} (got ${String(maxItems)}).`);
  }
  const start = marker === undefined || marker === "" ? 0 : decodeMarker(marker);
  const order = record.operationOrder;
  const end = Math.min(start + size, order.length);
  const operations: Operation[] = [];
  for (let i = start; i < end; i++) {
    const op = record.operations.get(order[i] as string);
    if (op) operations.push(cloneOperation(op));
  }
  return end < order.length ? { operations, nextMarker: encodeMarker(end) } : { operations };
}
