// The write-ahead log's on-disk format: one committed mutation per line, tagged with its execution,
//   <8 hex chars: FNV-1a of (id + " " + log checksum)> <execution id> <log line>\n
// where <log line> is exactly the line appended to the execution's own log (mutation-log.ts,
// which carries the sha256 checksum of the mutation's JSON). The outer checksum binds the
// execution id to that line, so a damaged id is caught as well as a damaged mutation; it guards
// against torn writes and bit damage, not against an adversary, so a cheap hash will do. Records
// of different executions interleave, so unlike an execution log there is no sequence to check
// across lines.
import { CorruptLogError } from "../errors.js";
import type { ExecutionMutation } from "../execution-record.js";
import { encodeLogRecordAfter, parseLogLine } from "./mutation-log.js";

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHECKSUM_LENGTH = 8;
const LOG_CHECKSUM_LENGTH = 16;
const ID_LENGTH = 26;
const PREFIX_LENGTH = CHECKSUM_LENGTH + 1 + ID_LENGTH + 1;

/** 32-bit FNV-1a over the id (ASCII), a space and the log line's own checksum, as 8 hex chars. */
function outerChecksum(id: string, logLine: Buffer): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ (id.charCodeAt(i) & 0xff), 0x01000193);
  hash = Math.imul(hash ^ SPACE, 0x01000193);
  const end = Math.min(LOG_CHECKSUM_LENGTH, logLine.length);
  for (let i = 0; i < end; i++) hash = Math.imul(hash ^ logLine[i]!, 0x01000193);
  return (hash >>> 0).toString(16).padStart(CHECKSUM_LENGTH, "0");
}

function checkId(executionId: string): void {
  if (executionId.length !== ID_LENGTH) throw new Error(`Not an execution id: ${executionId}`);
}

/** Writes the prefix for the log line at `line[PREFIX_LENGTH..]` into `line[0..PREFIX_LENGTH]`. */
function writePrefix(line: Buffer, executionId: string, logLine: Buffer): void {
  line.write(outerChecksum(executionId, logLine), 0, CHECKSUM_LENGTH, "latin1");
  line[CHECKSUM_LENGTH] = SPACE;
  line.write(executionId, CHECKSUM_LENGTH + 1, ID_LENGTH, "latin1");
  line[PREFIX_LENGTH - 1] = SPACE;
}

/**
 * What goes before `logLine` (an encoded execution-log record, newline included) in the
 * write-ahead log; the writer writes both without copying them together.
 */
export function walRecordPrefix(executionId: string, logLine: Buffer): Buffer {
  checkId(executionId);
  return Buffer.from(`${outerChecksum(executionId, logLine)} ${executionId} `, "latin1");
}

/** The whole write-ahead-log line for `logLine`. */
export function encodeWalRecord(executionId: string, logLine: Buffer): Buffer {
  const prefix = walRecordPrefix(executionId, logLine);
  return Buffer.concat([prefix, logLine], prefix.length + logLine.length);
}

/** A mutation encoded once for both logs: the write-ahead-log line, and the execution-log line inside it. */
export interface EncodedCommit {
  /** The whole write-ahead-log line. */
  walLine: Buffer;
  /** The execution-log line (newline included): the tail of `walLine`, sharing its memory. */
  logLine: Buffer;
}

/** Encodes `mutation` of `executionId` as a write-ahead-log line whose tail is its execution-log line. */
export function encodeCommit(executionId: string, mutation: ExecutionMutation): EncodedCommit {
  checkId(executionId);
  const walLine = encodeLogRecordAfter(mutation, PREFIX_LENGTH);
  const logLine = walLine.subarray(PREFIX_LENGTH);
  writePrefix(walLine, executionId, logLine);
  return { walLine, logLine };
}

/** One record read back from a write-ahead log. */
export interface WalRecord {
  executionId: string;
  seq: number;
  /** The execution-log line, newline included, ready to append. */
  logLine: Buffer;
}

/** What a write-ahead log holds: its valid records and whether it ends in a torn record. */
export interface WalScan {
  records: WalRecord[];
  validLength: number;
  tornTail: boolean;
}

function parseWalLine(line: Buffer): WalRecord | undefined {
  if (line.length <= PREFIX_LENGTH || line[CHECKSUM_LENGTH] !== SPACE || line[PREFIX_LENGTH - 1] !== SPACE) return undefined;
  const executionId = line.subarray(CHECKSUM_LENGTH + 1, PREFIX_LENGTH - 1).toString("latin1");
  const logLine = line.subarray(PREFIX_LENGTH);
  const parsed = parseLogLine(logLine);
  if (!parsed.ok) return undefined;
  if (line.subarray(0, CHECKSUM_LENGTH).toString("latin1") !== outerChecksum(executionId, logLine)) return undefined;
  // `line` excludes its newline; the log line to append includes one.
  return { executionId, seq: parsed.mutation.seq, logLine: Buffer.concat([logLine, Buffer.from([NEWLINE])]) };
}

/**
 * Parses a whole write-ahead log. A damaged record followed only by damage is a torn tail (the
 * writer died mid-write; those records were never acknowledged) and is ignored; a damaged record
 * followed by a valid one is a CorruptLogError.
 */
export function scanWal(data: Buffer, file: string): WalScan {
  const records: WalRecord[] = [];
  let position = 0;
  while (position < data.length) {
    const end = data.indexOf(NEWLINE, position);
    if (end < 0) return { records, validLength: position, tornTail: true };
    const record = parseWalLine(data.subarray(position, end));
    if (!record) {
      if (hasValidRecordAfter(data, end + 1)) throw new CorruptLogError(file, position, "damaged write-ahead-log record");
      return { records, validLength: position, tornTail: true };
    }
    records.push(record);
    position = end + 1;
  }
  return { records, validLength: position, tornTail: false };
}

function hasValidRecordAfter(data: Buffer, from: number): boolean {
  let position = from;
  while (position < data.length) {
    const end = data.indexOf(NEWLINE, position);
    if (end < 0) return false;
    if (parseWalLine(data.subarray(position, end))) return true;
    position = end + 1;
  }
  return false;
}
