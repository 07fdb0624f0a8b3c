import type { S3Client } from "@aws-sdk/client-s3";
import { MalformedRecordError } from "../errors.js";
import { readRange } from "./range-reader.js";
import { RecordSyntaxError, type RecordSplitter } from "./record-splitter.js";

/** One parsed record and the byte offset it starts at. */
export interface ReadRecord<R> {
  value: R;
  offset: number;
}

/** The records of one read and where the next read starts. */
export interface RecordsRead<R> {
  records: ReadRecord<R>[];
  /** The byte offset after the last record consumed (blank lines included). */
  end: number;
  /** The object's ETag. */
  etag: string;
  /** The object's size. */
  total: number;
}

/** Where and how to read. */
export interface RecordsReadRequest<R> {
  client: S3Client;
  bucket: string;
  key: string;
  offset: number;
  /** The ETag the object must still have (absent at the start of an object). */
  etag: string | undefined;
  maxRecords: number;
  /** Bytes per ranged GET; doubled while a window holds no whole record. */
  windowBytes: number;
  split: RecordSplitter<R>;
}

/**
 * Reads up to `maxRecords` whole records from `offset`, never splitting one: a record that ends
 * past the window is left for the next read, and a window that holds no whole record at all is
 * read again twice as large (same ETag), so a record longer than the window still comes whole.
 */
export async function readRecords<R>(request: RecordsReadRequest<R>): Promise<RecordsRead<R>> {
  const { bucket, key, offset, maxRecords, split } = request;
  let etag = request.etag;
  let window = request.windowBytes;
  for (;;) {
    const read = await readRange(request.client, bucket, key, offset, window, etag);
    const eof = offset + read.bytes.length >= read.total;
    const records: ReadRecord<R>[] = [];
    let position = 0;
    while (records.length < maxRecords && position < read.bytes.length) {
      let found;
      try {
        found = split(read.bytes, position, eof);
      } catch (error) {
        if (error instanceof RecordSyntaxError) throw new MalformedRecordError(bucket, key, offset + position, error.message);
        throw error;
      }
      if (found === undefined) break;
      if (found.value !== undefined) records.push({ value: found.value, offset: offset + position });
      position = found.end;
    }
    if (position === 0 && !eof) {
      etag = read.etag;
      window *= 2;
      continue;
    }
    return { records, end: offset + position, etag: read.etag, total: read.total };
  }
}
