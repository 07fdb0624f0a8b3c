import type { DistributedMapPaginatedSource } from "@cairn/sdk";
import { ValidationError } from "@cairn/sdk";
import { MalformedRecordError } from "../errors.js";
import { requireOptions } from "../validate.js";
import { csvSplitter } from "./csv.js";
import { objectRecordsSource, type S3RecordsCursor, type S3RecordsSourceOptions } from "./object-records-source.js";

/** Options of {@link s3CsvSource}: the objects, plus how the CSV is laid out. */
export interface S3CsvSourceOptions extends S3RecordsSourceOptions {
  /** The field separator, one ASCII character. Default `","`. */
  delimiter?: string;
  /**
   * The column names, when the objects have no header row. Default: each object's first row is
   * its header.
   */
  columns?: readonly string[];
}

/**
 * A distributed map source over CSV objects (RFC 4180): each item is one row as an object keyed
 * by the header (each object's first row, or `columns`), values as strings. Quoted fields may
 * hold the delimiter, line breaks and doubled quotes; records end at CRLF or LF; empty lines are
 * skipped; a UTF-8 byte order mark before the header is dropped. A row with more or fewer fields than the header, or a broken quote, fails its page with
 * a {@link MalformedRecordError} naming the key and byte offset.
 *
 * Pages, cursors ({@link S3RecordsCursor}), ETag pinning and partitions are those of
 * {@link s3JsonLinesSource}. A page that starts mid-object reads the header again with a ranged
 * GET (once per object and process).
 *
 * Needs `s3:GetObject` on the objects, and `s3:ListBucket` on the bucket with `prefix`.
 *
 * @example
 * ```ts
 * const rows = s3CsvSource({ client: new S3Client({}), bucket: "imports", keys: ["customers.csv"] });
 * ```
 */
export function s3CsvSource(options: S3CsvSourceOptions): DistributedMapPaginatedSource<Record<string, string>, S3RecordsCursor> {
  const factory = "s3CsvSource";
  requireOptions(factory, options, "{ client, bucket, keys | prefix, delimiter?, columns?, pageSize?, readWindowBytes? }");
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || /["\r\n]/.test(delimiter)) {
    throw new ValidationError(`${factory}: delimiter must be one ASCII character other than a quote or line break, got ${JSON.stringify(delimiter)}.`);
  }
  const columns = options.columns === undefined ? undefined : [...options.columns];
  if (columns !== undefined && (columns.length === 0 || columns.some((name) => typeof name !== "string"))) {
    throw new ValidationError(`${factory}: columns must be a non-empty array of column names, or left out to use each object's header row.`);
  }
  const bucket = options.bucket;
  return objectRecordsSource<string[], Record<string, string>>(factory, options, {
    split: csvSplitter(delimiter.charCodeAt(0)),
    header: columns === undefined,
    toItems: (records, key, header) => {
      // A byte order mark some tools write is not part of the first column's name.
      const names = columns ?? (header ?? []).map((name, index) => (index === 0 ? name.replace(/^\uFEFF/, "") : name));
      return records.map(({ value, offset }) => {
        if (value.length !== names.length) {
          throw new MalformedRecordError(bucket, key, offset, `the row has ${value.length} fields, the header ${names.length}`);
        }
        const row: Record<string, string> = {};
        names.forEach((name, index) => (row[name] = value[index]!));
        return row;
      });
    },
  });
}
