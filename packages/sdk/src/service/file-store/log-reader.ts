// Reads an execution's log a chunk at a time, so catching up with a long log or reading its
// history back never holds the whole file (or every mutation parsed from it) in memory at once.
import { read } from "node:fs";
import { promisify } from "node:util";
import type { ExecutionMutation } from "../execution-record.js";
import { scanLogRecords, type LogScan } from "./mutation-log.js";

const readAsync = promisify(read);

/** Bytes read per step; a record longer than this is read across several. */
const CHUNK_BYTES = 1024 * 1024;

/** Where reading stopped. */
export interface LogRead {
  /** Offset just past the last valid record. */
  end: number;
  /** Set when the log ends in a torn record (see scanLogRecords). */
  invalidTail?: LogScan["invalidTail"];
}

async function readFully(fd: number, position: number, length: number): Promise<Buffer> {
  const data = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await readAsync(fd, data, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return data.subarray(0, done);
}

/**
 * Hands every valid record of `fd` between `from` (a record boundary) and `size` to `onMutation`,
 * in order, with the same verdicts as scanLogRecords over the whole range: a torn tail is
 * reported, damage followed by a valid record throws CorruptLogError.
 *
 * @param file the log's path, for error messages
 * @param firstSeq the seq the first record must carry
 */
export async function readLogRecords(
  fd: number,
  from: number,
  size: number,
  file: string,
  firstSeq: number,
  onMutation: (mutation: ExecutionMutation) => void,
): Promise<LogRead> {
  let seq = firstSeq;
  let carry = Buffer.alloc(0);
  let position = from;
  while (position < size) {
    const chunk = await readFully(fd, position, Math.min(CHUNK_BYTES, size - position));
    const dataStart = position - carry.length;
    position += chunk.length;
    const last = chunk.length === 0 || position >= size;
    const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    // Only whole lines are scanned before the end; a partial one waits for the next chunk.
    const cut = last ? data.length : data.lastIndexOf(0x0a) + 1;
    const scan = scanLogRecords(data.subarray(0, cut), dataStart, file, seq);
    for (const mutation of scan.mutations) onMutation(mutation);
    seq += scan.mutations.length;
    if (scan.invalidTail) {
      const tailAt = dataStart + scan.validLength;
      if (last) return { end: tailAt, invalidTail: scan.invalidTail };
      // Damage before the end: torn tail or corruption depends on everything after it (rare: read it whole).
      const rest = await readFully(fd, tailAt, size - tailAt);
      const verdict = scanLogRecords(rest, tailAt, file, seq);
      return { end: tailAt, invalidTail: verdict.invalidTail ?? scan.invalidTail };
    }
    carry = Buffer.from(data.subarray(cut));
    if (chunk.length === 0) break;
  }
  return { end: position - carry.length };
}
