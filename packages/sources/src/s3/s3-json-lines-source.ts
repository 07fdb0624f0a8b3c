import type { DistributedMapPaginatedSource } from "@cairn/sdk";
import { splitJsonLine } from "./json-lines.js";
import { objectRecordsSource, type S3RecordsCursor, type S3RecordsSourceOptions } from "./object-records-source.js";

/**
 * A distributed map source over JSON-lines objects: each item is one line's JSON value, objects
 * in order (`keys` as given, or every object under `prefix` in key order), records in file order.
 * Blank lines are skipped; a line that is not JSON fails its page with a
 * {@link MalformedRecordError} naming the key and byte offset.
 *
 * A page is up to `pageSize` records of one object, read with one Range GET from the cursor's
 * byte offset; the cursor ({@link S3RecordsCursor}) pins the object's ETag, and the GET carries
 * If-Match, so an object overwritten mid-read fails with {@link SourceObjectChangedError}.
 * `partitions(count)` lists the objects once and deals them into at most `count` groups of
 * consecutive objects of about equal bytes: one group per child (an object is never split).
 *
 * Needs `s3:GetObject` on the objects, and `s3:ListBucket` on the bucket with `prefix`.
 *
 * @example
 * ```ts
 * const events = s3JsonLinesSource({ client: new S3Client({}), bucket: "exports", prefix: "events/2024-06-01/" });
 * ```
 */
export function s3JsonLinesSource<T = unknown>(options: S3RecordsSourceOptions): DistributedMapPaginatedSource<T, S3RecordsCursor> {
  return objectRecordsSource<unknown, T>("s3JsonLinesSource", options, {
    split: splitJsonLine,
    header: false,
    toItems: (records) => records.map((record) => record.value as T),
  });
}
