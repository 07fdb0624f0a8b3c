// Where S3FailedItemWriter keeps a page: `<prefix><run id, percent-encoded>/partition-<n>-page-<m>.jsonl`.
import { ValidationError } from "@cairn/sdk";
import { shownValue } from "@cairn/sdk/backend";

/** S3's limit on a key's length, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;
const PARTITION_DIGITS = 6;
const PAGE_DIGITS = 9;

/** A page object's name under its run's folder. */
export const PAGE_NAME = /^partition-(\d{6})-page-(\d{9})\.jsonl$/;

/**
 * A run id as one key segment: every character but ASCII letters, digits, `-` and `_` is
 * percent-encoded as UTF-8, so `/` cannot open a folder, `.` cannot make `..`, and `%` cannot be
 * misread; the result is still readable in a console and decodes with `decodeURIComponent`.
 */
export function runSegment(caller: string, runId: unknown): string {
  if (typeof runId !== "string" || runId.length === 0) {
    throw new ValidationError(`${caller}: runId must be a non-empty string (a distributed map summary's runId), got ${JSON.stringify(runId) ?? typeof runId}.`);
  }
  let encoded: string;
  try {
    encoded = encodeURIComponent(runId);
  } catch {
    throw new ValidationError(`${caller}: runId ${JSON.stringify(runId)} holds an unpaired surrogate and cannot be part of an S3 key.`);
  }
  return encoded.replace(/[.!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The run id a segment made by {@link runSegment} stands for. */
export function runIdOf(segment: string): string {
  return decodeURIComponent(segment);
}

/** The key prefix holding every page of a run: `<prefix><segment>/`. Checked against S3's key length, with room for a page name. */
export function runPrefix(caller: string, prefix: string, runId: unknown): string {
  const folder = `${prefix}${runSegment(caller, runId)}/`;
  const longest = Buffer.byteLength(folder) + pageName(0, 0).length;
  if (longest > MAX_KEY_BYTES) {
    throw new ValidationError(
      `${caller}: the keys for runId ${JSON.stringify(runId)} would be ${longest} bytes, more than S3's ${MAX_KEY_BYTES}; use a shorter prefix.`,
    );
  }
  return folder;
}

/** A page's object name: zero-padded, so S3's key order is partition, then page order. */
export function pageName(partition: number, page: number): string {
  return `partition-${String(partition).padStart(PARTITION_DIGITS, "0")}-page-${String(page).padStart(PAGE_DIGITS, "0")}.jsonl`;
}

/** Checks a batch's partition and page fit the padded widths (wider numbers would list out of order). */
export function checkPagePosition(caller: string, partition: unknown, page: unknown): void {
  for (const [field, value, digits] of [["partition", partition, PARTITION_DIGITS], ["page", page, PAGE_DIGITS]] as const) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= 10 ** digits) {
      throw new ValidationError(`${caller}: ${field} must be a whole number from 0 to ${10 ** digits - 1}, got ${shownValue(value)}.`);
    }
  }
}
