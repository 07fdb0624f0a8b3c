import type { S3Client } from "@aws-sdk/client-s3";
import { s3Module } from "./s3-module.js";

/** A range of keys: those after `startAfter` (all, when absent) up to and including `until` (no end, when absent). */
export interface KeyRange {
  /** Keys strictly after this one. */
  startAfter?: string;
  /** Keys up to and including this one. */
  until?: string;
}

/** Whether `key` is past the range's inclusive upper bound. */
export function pastRange(key: string, until: string | undefined): boolean {
  return until !== undefined && key > until;
}

/**
 * Splits the keys under `prefix` into at most `count` ranges at "folder" boundaries: the common
 * prefixes a delimiter listing gives (e.g. `logs/2024-01/`, `logs/2024-02/`, ...), dealt into
 * `count` consecutive groups. Ranges are (b[i], b[i+1]]: every key falls in exactly one whatever
 * it is, including keys directly under `prefix` and folder-marker keys equal to a boundary, and
 * keys written after the split still land in one range. With fewer than two common prefixes
 * there is nothing to split at, so one range covers everything.
 */
export async function splitByCommonPrefixes(
  client: S3Client,
  bucket: string,
  prefix: string | undefined,
  startAfter: string | undefined,
  delimiter: string,
  count: number,
): Promise<KeyRange[]> {
  const { ListObjectsV2Command } = await s3Module();
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, StartAfter: startAfter, ContinuationToken: token }),
    );
    for (const common of page.CommonPrefixes ?? []) {
      // A folder holding `startAfter` itself sorts before it: not a boundary (its later keys are range 0's).
      if (common.Prefix !== undefined && (startAfter === undefined || common.Prefix > startAfter)) folders.push(common.Prefix);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  folders.sort();
  const groups = Math.min(count, folders.length);
  if (groups < 2) return [startAfter === undefined ? {} : { startAfter }];
  // The first folder of each group after the first is a boundary; its keys sort after it.
  const boundaries = Array.from({ length: groups - 1 }, (_, g) => folders[Math.floor(((g + 1) * folders.length) / groups)]!);
  const ranges: KeyRange[] = boundaries.map((until, i) => {
    const from = i === 0 ? startAfter : boundaries[i - 1];
    return from === undefined ? { until } : { startAfter: from, until };
  });
  ranges.push({ startAfter: boundaries[boundaries.length - 1]! });
  return ranges;
}
