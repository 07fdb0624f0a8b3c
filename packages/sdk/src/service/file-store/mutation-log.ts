// The file store's on-disk format: one committed ExecutionMutation per line,
//   <16 hex chars of sha256(json)> <json>\n
// JSON never contains a raw newline, so a line is a record; the checksum catches torn and
// damaged records. (sha256 rather than zlib.crc32, which only exists from Node 20.15.)
import * as crypto from "node:crypto";
import { CorruptLogError } from "../errors.js";
import type { ExecutionMutation } from "../execution-record.js";
import { stringifyWithDates } from "./plain-json.js";

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHECKSUM_LENGTH = 16;

/** Keys whose values are Dates anywhere in a mutation. User data never appears as a key. */
const DATE_KEYS = new Set([
  "StartTimestamp",
  "EndTimestamp",
  "NextAttemptTimestamp",
  "ScheduledEndTimestamp",
  "EventTimestamp",
  "startTimestamp",
  "endTimestamp",
  // ExecutionSummary.blocked
  "since",
  "retryAt",
]);

function reviveDates(key: string, value: unknown): unknown {
  return typeof value === "string" && DATE_KEYS.has(key) ? new Date(value) : value;
}

// One-shot hashing (Node 20.12+) skips a Hash object per record; createHash where it is missing.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: "hex") => string }).hash;

function checksum(json: Buffer): string {
  const hex = oneShotHash ? oneShotHash("sha256", json, "hex") : crypto.createHash("sha256").update(json).digest("hex");
  return hex.slice(0, CHECKSUM_LENGTH);
}

/** Encodes `mutation` as one log line (newline included). */
export function encodeLogRecord(mutation: ExecutionMutation): Buffer {
  return encodeLogRecordAfter(mutation, 0);
}

/**
 * Encodes `mutation` as one log line that starts `headroom` bytes into the returned buffer, the
 * bytes before it left for the caller to fill (a write-ahead-log prefix): the JSON is written
 * straight into its place and hashed there, so a record costs one buffer and no copy.
 */
export function encodeLogRecordAfter(mutation: ExecutionMutation, headroom: number): Buffer {
  const json = stringifyWithDates(mutation);
  const jsonLength = Buffer.byteLength(json, "utf8");
  const start = headroom + CHECKSUM_LENGTH + 1;
  const line = Buffer.allocUnsafe(start + jsonLength + 1);
  line.write(json, start, jsonLength, "utf8");
  line.write(checksum(line.subarray(start, start + jsonLength)), headroom, CHECKSUM_LENGTH, "latin1");
  line[start - 1] = SPACE;
  line[line.length - 1] = NEWLINE;
  return line;
}

/** A parsed log line: its mutation, or why it is not one. */
export type ParsedLogLine = { ok: true; mutation: ExecutionMutation } | { ok: false; reason: string };

/** Parses one log line (without its newline), checking its checksum. */
export function parseLogLine(line: Buffer): ParsedLogLine {
  if (line.length <= CHECKSUM_LENGTH + 1 || line[CHECKSUM_LENGTH] !== SPACE) return { ok: false, reason: "malformed record" };
  const json = line.subarray(CHECKSUM_LENGTH + 1);
  if (line.subarray(0, CHECKSUM_LENGTH).toString("latin1") !== checksum(json)) {
    return { ok: false, reason: "checksum mismatch" };
  }
  try {
    const mutation = JSON.parse(json.toString("utf8"), reviveDates) as ExecutionMutation;
    if (typeof mutation !== "object" || mutation === null || !Number.isInteger(mutation.seq)) {
      return { ok: false, reason: "record is not a mutation" };
    }
    return { ok: true, mutation };
  } catch {
    return { ok: false, reason: "record is not valid JSON" };
  }
}

export interface LogScan {
  mutations: ExecutionMutation[];
  /** Offset (relative to the scanned data) just past the last valid record. */
  validLength: number;
  /** Set when the data ends in an incomplete or damaged record (a torn write). */
  invalidTail?: { offset: number; reason: string };
}

/**
 * Parses log bytes that start at a record boundary. A damaged record followed only by other
 * damaged bytes is a torn tail (a writer died mid-append; the caller may cut it off); a damaged
 * record followed by a valid one, or a valid record out of sequence, is corruption.
 *
 * @param baseOffset where `data` starts in the file, for error messages
 * @param firstSeq the seq the first record must carry
 */
export function scanLogRecords(data: Buffer, baseOffset: number, file: string, firstSeq: number): LogScan {
  const mutations: ExecutionMutation[] = [];
  let expectedSeq = firstSeq;
  let position = 0;
  while (position < data.length) {
    const end = data.indexOf(NEWLINE, position);
    if (end < 0) return { mutations, validLength: position, invalidTail: { offset: position, reason: "incomplete record" } };
    const parsed = parseLogLine(data.subarray(position, end));
    if (!parsed.ok) {
      if (hasValidRecordAfter(data, end + 1)) throw new CorruptLogError(file, baseOffset + position, parsed.reason);
      return { mutations, validLength: position, invalidTail: { offset: position, reason: parsed.reason } };
    }
    if (parsed.mutation.seq !== expectedSeq) {
      throw new CorruptLogError(
        file,
        baseOffset + position,
        `record has seq ${parsed.mutation.seq} where seq ${expectedSeq} was expected (two writers?)`,
      );
    }
    mutations.push(parsed.mutation);
    expectedSeq++;
    position = end + 1;
  }
  return { mutations, validLength: position };
}

function hasValidRecordAfter(data: Buffer, from: number): boolean {
  let position = from;
  while (position < data.length) {
    const end = data.indexOf(NEWLINE, position);
    if (end < 0) return false;
    if (parseLogLine(data.subarray(position, end)).ok) return true;
    position = end + 1;
  }
  return false;
}
