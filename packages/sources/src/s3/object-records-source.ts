import type { DistributedMapPaginatedSource } from "@cairn/sdk";
import { ValidationError } from "@cairn/sdk";
import type { S3Client } from "@aws-sdk/client-s3";
import { optionalString, requireClient, requireCursorObject, requireOptions, requireString, wholeNumber } from "../validate.js";
import { groupBySize, keyListSequence, prefixSequence, type ObjectSequence } from "./object-sequence.js";
import { readRecords, type ReadRecord } from "./read-records.js";
import type { RecordSplitter } from "./record-splitter.js";

/** Options shared by {@link s3JsonLinesSource} and {@link s3CsvSource}: which objects, and how much per page. */
export interface S3RecordsSourceOptions {
  /** The S3 client (`new S3Client(...)` from `@aws-sdk/client-s3`). */
  client: S3Client;
  /** The bucket. */
  bucket: string;
  /** The objects to read, in this order. Give `keys` or `prefix`. */
  keys?: readonly string[];
  /** Read every object under this prefix, in key order. Give `keys` or `prefix`. */
  prefix?: string;
  /** With `prefix`: only objects whose keys sort after this one. */
  startAfter?: string;
  /** Records per page (one checkpoint each: keep a page well under 256 KiB). Default 100. */
  pageSize?: number;
  /**
   * Bytes per ranged GET. A page reads one window; a window holding no whole record is read
   * again twice as large, so records longer than it still work. Default 256 KiB.
   */
  readWindowBytes?: number;
}

/**
 * Where a page of an S3 records source starts: an object and a byte offset in it that is always
 * the start of a record. `etag` pins the object once reading has begun in it (a changed object
 * fails the page); `lastKey` ends a partition. Plain JSON.
 */
export interface S3RecordsCursor {
  /** The object's key. */
  key: string;
  /** The byte offset of the page's first record. */
  offset: number;
  /** The ETag the object had when its first page was read (absent at offset 0). */
  etag?: string;
  /** The partition's last object (absent: read to the source's end). */
  lastKey?: string;
}

/** How one format parses and shapes records. */
export interface RecordFormat<R, T> {
  /** Finds one record. */
  split: RecordSplitter<R>;
  /** Whether an object's first record is a header rather than an item. */
  header: boolean;
  /** Turns records into items, given the object's header record when `header` is set. */
  toItems(records: ReadRecord<R>[], key: string, header: R | undefined): T[];
}

function objectsOf(factory: string, options: S3RecordsSourceOptions): ObjectSequence {
  if ((options.keys === undefined) === (options.prefix === undefined)) {
    throw new ValidationError(`${factory}: give exactly one of keys (a list of object keys) or prefix (read every object under it).`);
  }
  if (options.keys !== undefined) {
    if (!Array.isArray(options.keys) || options.keys.length === 0) throw new ValidationError(`${factory}: keys must be a non-empty array of object keys.`);
    const seen = new Set<string>();
    options.keys.forEach((key, index) => {
      requireString(factory, `keys[${index}]`, key);
      if (seen.has(key)) throw new ValidationError(`${factory}: keys[${index}] ${JSON.stringify(key)} is listed twice; list each object once.`);
      seen.add(key);
    });
    if (options.startAfter !== undefined) throw new ValidationError(`${factory}: startAfter applies to prefix; with keys, list only the objects to read.`);
    return keyListSequence(factory, [...options.keys]);
  }
  const prefix = optionalString(factory, "prefix", options.prefix)!;
  return prefixSequence(options.client, options.bucket, prefix, optionalString(factory, "startAfter", options.startAfter));
}

/** Reads the records of a sequence of objects page by page; the JSON-lines and CSV sources are this with a format. */
export function objectRecordsSource<R, T>(factory: string, options: S3RecordsSourceOptions, format: RecordFormat<R, T>): DistributedMapPaginatedSource<T, S3RecordsCursor> {
  requireOptions(factory, options, "{ client, bucket, keys | prefix, pageSize?, readWindowBytes? }");
  requireClient(factory, options.client, "an S3Client");
  const bucket = requireString(factory, "bucket", options.bucket);
  const pageSize = wholeNumber(factory, "pageSize", options.pageSize, 100, 1, 100_000);
  const windowBytes = wholeNumber(factory, "readWindowBytes", options.readWindowBytes, 256 * 1024, 1, 1024 * 1024 * 1024);
  const objects = objectsOf(factory, options);
  const client = options.client;
  // Headers of objects this process has read, by key and ETag: a child reading page after page
  // of one object fetches its header once, not once per page.
  const headers = new Map<string, R>();

  const headerOf = async (key: string, etag: string): Promise<R | undefined> => {
    const known = headers.get(`${etag}\n${key}`);
    if (known !== undefined) return known;
    const read = await readRecords({ client, bucket, key, offset: 0, etag, maxRecords: 1, windowBytes, split: format.split });
    return remember(key, etag, read.records[0]?.value);
  };
  const remember = (key: string, etag: string, header: R | undefined): R | undefined => {
    if (header === undefined) return undefined;
    if (headers.size >= 64) headers.delete(headers.keys().next().value!);
    headers.set(`${etag}\n${key}`, header);
    return header;
  };

  const cursorOf = (value: unknown): S3RecordsCursor => {
    const cursor = requireCursorObject(factory, value);
    if (typeof cursor.key !== "string" || typeof cursor.offset !== "number" || !Number.isInteger(cursor.offset) || cursor.offset < 0) {
      throw new ValidationError(`${factory}: readPage got cursor ${JSON.stringify(value)}; a cursor is { key, offset, etag?, lastKey? } as this source returned it.`);
    }
    return cursor as unknown as S3RecordsCursor;
  };

  return {
    async readPage(value) {
      let cursor: S3RecordsCursor;
      if (value == null) {
        const first = await objects.first();
        if (first === undefined) return { items: [], nextCursor: null };
        cursor = { key: first, offset: 0 };
      } else {
        cursor = cursorOf(value);
      }
      const { key, offset, lastKey } = cursor;
      const atStart = offset === 0;
      const read = await readRecords({
        client,
        bucket,
        key,
        offset,
        etag: cursor.etag,
        maxRecords: pageSize + (atStart && format.header ? 1 : 0),
        windowBytes,
        split: format.split,
      });
      let records = read.records;
      let header: R | undefined;
      if (format.header) {
        if (atStart) {
          header = remember(key, read.etag, records[0]?.value);
          records = records.slice(1);
        } else {
          header = await headerOf(key, read.etag);
        }
      }
      const items = format.toItems(records, key, header);
      const partition = lastKey === undefined ? {} : { lastKey };
      if (read.end < read.total) return { items, nextCursor: { key, offset: read.end, etag: read.etag, ...partition } };
      const next = await objects.after(key, lastKey);
      return { items, nextCursor: next === undefined ? null : { key: next, offset: 0, ...partition } };
    },
    async partitions(count) {
      const groups = groupBySize(await objects.all(), count);
      // No objects: one partition reading from the start, which finds none (or those written since).
      if (groups.length === 0) return [undefined as unknown as S3RecordsCursor];
      return groups.map((group) => ({ key: group[0]!.key, offset: 0, lastKey: group[group.length - 1]!.key }));
    },
  };
}
