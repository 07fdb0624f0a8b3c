// A distributed-map source over a dead-letter export on disk: JSON-lines files read page by page
// from a byte offset, so a page costs its own bytes (plus one read window), never a whole file.
import { open, stat } from "node:fs/promises";
import type { DistributedMapPaginatedSource } from "@cairn/sdk";
import { parseExportLine, type DeadLetterMessage } from "./messages.js";

/** Where a page starts: a file, a byte offset that is always a line's start, and that line's number. */
export interface ExportCursor {
  /** Index into `files` of the file being read. */
  file: number;
  /** Byte offset of the next line in it. */
  offset: number;
  /** The 1-based number of that line (for error messages). */
  line: number;
  /** One past the last file this partition reads. */
  end: number;
}

/** Options of {@link deadLetterExportSource}. */
export interface ExportSourceOptions {
  /** The export's files, in order (e.g. `dlq-export/part-0000.jsonl`, …). */
  files: readonly string[];
  /** Messages per page (one checkpointed cursor per page). */
  pageSize: number;
  /** Bytes read at a time (default 64 KiB); a longer line is read in several windows. */
  readWindowBytes?: number;
  /** Called after each page is read: where it started and how many bytes it read (for tests and metrics). */
  onRead?: (read: { cursor: ExportCursor; bytesRead: number }) => void;
}

const NEWLINE = 0x0a;

function checkOptions(options: ExportSourceOptions): void {
  const name = "deadLetterExportSource";
  if (!Array.isArray(options?.files) || options.files.length === 0 || !options.files.every((f) => typeof f === "string" && f.length > 0)) {
    throw new TypeError(`${name}: files must be a non-empty array of file paths, e.g. ["dlq-export/part-0000.jsonl"].`);
  }
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1 || options.pageSize > 10_000) {
    throw new RangeError(`${name}: pageSize must be a whole number from 1 to 10 000, got ${String(options.pageSize)}.`);
  }
  const window = options.readWindowBytes;
  if (window !== undefined && (!Number.isInteger(window) || window < 16)) {
    throw new RangeError(`${name}: readWindowBytes must be a whole number of at least 16, got ${String(window)}.`);
  }
}

function checkCursor(value: unknown, files: number): ExportCursor {
  const cursor = value as Partial<ExportCursor> | null;
  const whole = (n: unknown, min: number) => Number.isInteger(n) && (n as number) >= min;
  if (typeof cursor !== "object" || cursor === null || !whole(cursor.file, 0) || !whole(cursor.offset, 0) || !whole(cursor.line, 1) || !whole(cursor.end, 1) || cursor.end! > files) {
    throw new TypeError(`deadLetterExportSource: a cursor is { file, offset, line, end } within the ${files} files, got ${JSON.stringify(value)}.`);
  }
  return cursor as ExportCursor;
}

/** Reads up to `max` messages of one file from `at`, window by window; `done` once the file's end is reached. */
async function readMessages(
  path: string,
  at: { offset: number; line: number },
  max: number,
  window: number,
): Promise<{ messages: DeadLetterMessage[]; offset: number; line: number; done: boolean; bytesRead: number }> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const messages: DeadLetterMessage[] = [];
    let { offset, line } = at;
    let pending = Buffer.alloc(0); // bytes read past `offset`, not yet a whole line
    let position = offset;
    let bytesRead = 0;
    while (messages.length < max && offset < size) {
      const newline = pending.indexOf(NEWLINE);
      if (newline < 0 && position < size) {
        const chunk = Buffer.alloc(Math.min(window, size - position));
        const { bytesRead: n } = await handle.read(chunk, 0, chunk.length, position);
        position += n;
        bytesRead += n;
        pending = Buffer.concat([pending, chunk.subarray(0, n)]);
        continue;
      }
      // A line ends at its newline, or at the end of the file when the last line has none.
      const length = newline < 0 ? pending.length : newline;
      const text = pending.subarray(0, length).toString("utf8").replace(/\r$/, "");
      if (text.trim().length > 0) messages.push(parseExportLine(text, path, line));
      const consumed = newline < 0 ? length : length + 1;
      pending = pending.subarray(consumed);
      offset += consumed;
      line++;
    }
    return { messages, offset, line, done: offset >= size, bytesRead };
  } finally {
    await handle.close();
  }
}

/**
 * The messages of a dead-letter export, read page by page. The cursor ({@link ExportCursor}) is a
 * file index and a byte offset where a line starts, so a child that resumes reads on from its last
 * checkpointed page. A line without a final newline is read as the file's last message; blank
 * lines are skipped; a line that is not a message fails the page with a
 * `MalformedExportLineError` naming the file and the line.
 *
 * `partitions(count)` gives each child a run of whole files of about equal bytes (at most one child
 * per file). The files must not change while the run reads them.
 *
 * @example
 * ```ts
 * const source = deadLetterExportSource({ files: ["dlq/part-0.jsonl", "dlq/part-1.jsonl"], pageSize: 100 });
 * ```
 */
export function deadLetterExportSource(options: ExportSourceOptions): DistributedMapPaginatedSource<DeadLetterMessage, ExportCursor> {
  checkOptions(options);
  const files = [...options.files];
  const window = options.readWindowBytes ?? 64 * 1024;
  return {
    async readPage(value) {
      const cursor = value === undefined ? { file: 0, offset: 0, line: 1, end: files.length } : checkCursor(value, files.length);
      const items: DeadLetterMessage[] = [];
      let bytesRead = 0;
      let { file, offset, line } = cursor;
      while (items.length < options.pageSize && file < cursor.end) {
        const read = await readMessages(files[file]!, { offset, line }, options.pageSize - items.length, window);
        items.push(...read.messages);
        bytesRead += read.bytesRead;
        if (read.done) [file, offset, line] = [file + 1, 0, 1];
        else [offset, line] = [read.offset, read.line];
      }
      options.onRead?.({ cursor, bytesRead });
      return file < cursor.end ? { items, nextCursor: { file, offset, line, end: cursor.end } } : { items };
    },
    async partitions(count) {
      const sizes = await Promise.all(files.map(async (path) => (await stat(path)).size));
      const total = sizes.reduce((sum, size) => sum + size, 0);
      // A file goes to the share its middle byte falls in: contiguous groups of about total/count bytes.
      const starts: ExportCursor[] = [];
      let before = 0;
      let previousShare = -1;
      sizes.forEach((size, file) => {
        const share = Math.min(count - 1, total === 0 ? file : Math.floor(((before + size / 2) * count) / total));
        if (share !== previousShare) starts.push({ file, offset: 0, line: 1, end: files.length });
        previousShare = share;
        before += size;
      });
      return starts.map((start, i) => ({ ...start, end: starts[i + 1]?.file ?? files.length }));
    },
  };
}
