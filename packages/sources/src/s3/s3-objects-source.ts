import type { DistributedMapPaginatedSource } from "@cairn/sdk";
import type { S3Client } from "@aws-sdk/client-s3";
import { optionalString, requireClient, requireCursorObject, requireOptions, requireString, wholeNumber } from "../validate.js";
import { pastRange, splitByCommonPrefixes, type KeyRange } from "./key-ranges.js";
import { summaryOf, type S3ObjectSummary } from "./object-summary.js";
import { s3Module } from "./s3-module.js";

/** Options of {@link s3ObjectsSource}. */
export interface S3ObjectsSourceOptions {
  /** The S3 client (`new S3Client(...)` from `@aws-sdk/client-s3`). */
  client: S3Client;
  /** The bucket to list. */
  bucket: string;
  /** Only keys starting with this. */
  prefix?: string;
  /** Only keys sorting after this one (ListObjectsV2 `StartAfter`). */
  startAfter?: string;
  /** Objects per page: ListObjectsV2 `MaxKeys`, 1 to 1000. Default 1000. */
  pageSize?: number;
  /**
   * What `partitions(count)` splits at: the common prefixes of a listing with this delimiter
   * (see {@link s3ObjectsSource}). Default `"/"`.
   */
  partitionDelimiter?: string;
}

/**
 * Where a page of {@link s3ObjectsSource} starts: the keys after `startAfter` (the last key of
 * the previous page), up to and including `until` (a partition's end). Plain JSON; S3's
 * continuation tokens are not used, so a cursor never expires.
 */
export type S3ObjectsCursor = KeyRange;

const FACTORY = "s3ObjectsSource";

/**
 * A distributed map source over an S3 listing: each item is one object's {@link S3ObjectSummary}
 * (key, size, etag, lastModified), in key order, `pageSize` per page (one ListObjectsV2 call).
 *
 * `partitions(count)` lists the common prefixes under `prefix` with `partitionDelimiter` (one
 * delimiter listing, in the parent's plan step) and splits the key space at them into at most
 * `count` consecutive ranges, so every key is read by exactly one child. Keys laid out in
 * "folders" (dates, tenants) split well; with fewer than two folders it is one partition.
 *
 * Needs `s3:ListBucket` on the bucket.
 *
 * @example
 * ```ts
 * const objects = s3ObjectsSource({ client: new S3Client({}), bucket: "exports", prefix: "2024/" });
 * ```
 */
export function s3ObjectsSource(options: S3ObjectsSourceOptions): DistributedMapPaginatedSource<S3ObjectSummary, S3ObjectsCursor> {
  requireOptions(FACTORY, options, "{ client, bucket, prefix?, startAfter?, pageSize? }");
  requireClient(FACTORY, options.client, "an S3Client");
  const bucket = requireString(FACTORY, "bucket", options.bucket);
  const prefix = optionalString(FACTORY, "prefix", options.prefix);
  const startAfter = optionalString(FACTORY, "startAfter", options.startAfter);
  const pageSize = wholeNumber(FACTORY, "pageSize", options.pageSize, 1000, 1, 1000);
  const delimiter = options.partitionDelimiter === undefined ? "/" : requireString(FACTORY, "partitionDelimiter", options.partitionDelimiter);
  const client = options.client;

  return {
    async readPage(cursor) {
      const range: KeyRange = cursor == null ? (startAfter === undefined ? {} : { startAfter }) : (requireCursorObject(FACTORY, cursor) as KeyRange);
      const { ListObjectsV2Command } = await s3Module();
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: range.startAfter, MaxKeys: pageSize }));
      const items: S3ObjectSummary[] = [];
      let ended = !page.IsTruncated;
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        if (pastRange(object.Key, range.until)) {
          ended = true;
          break;
        }
        items.push(summaryOf(object));
      }
      const last = items[items.length - 1]?.key;
      if (ended || last === undefined || last === range.until) return { items, nextCursor: null };
      return { items, nextCursor: range.until === undefined ? { startAfter: last } : { startAfter: last, until: range.until } };
    },
    partitions: (count) => splitByCommonPrefixes(client, bucket, prefix, startAfter, delimiter, count),
  };
}
