// The write-ahead log's on-disk format: one committed mutation per line, tagged with its execution,
//   <16 hex chars of sha256(id + " " + log checksum)> <execution id> <log line>\n
// where <log line> is exactly the line appended to the execution's own log (mutation-log.ts,
// which carries the checksum of the mutation's JSON). The outer checksum binds the execution id to
// that line, so a damaged id is caught as surely as a damaged mutation. Records of different
// executions interleave, so unlike an execution log there is no sequence to check across lines.
import { createHash } from "node:crypto";
import { CorruptLogError } from "../errors.js";
import { parseLogLine } from "./mutation-log.js";

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHECKSUM_LENGTH = 16;
const ID_LENGTH = 26;
const PREFIX_LENGTH = CHECKSUM_LENGTH + 1 + ID_LENGTH + 1;

function outerChecksum(id: string, logLine: Buffer): string {
  return createHash("sha256")
    .update(`${id} `)
    .update(logLine.subarray(0, CHECKSUM_LENGTH))
    .digest("hex")
    .slice(0, CHECKSUM_LENGTH);
}

/** The write-ahead-log line for `logLine` (an encoded execution-log record, newline included). */
export function encodeWalRecord(executionId: string, logLine: Buffer): Buffer {
  if (executionId.length !== ID_LENGTH) throw new Error(`Not an execution id: ${executionId}`);
  const prefix = Buffer.from(`${outerChecksum(executionId, logLine)} ${executionId} `, "latin1");
  return Buffer.concat([prefix, logLine], prefix.length + logLine.length);
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
