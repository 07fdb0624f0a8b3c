import type { S3Client } from "@aws-sdk/client-s3";
import { ValidationError } from "@cairn/sdk";
import { s3Module } from "./s3-module.js";

/** The objects a records source reads, in order. */
export interface ObjectSequence {
  /** The first object's key, or undefined when there is none. */
  first(): Promise<string | undefined>;
  /** The key after `key`, or undefined past the end or past `lastKey` (a partition's last object). */
  after(key: string, lastKey: string | undefined): Promise<string | undefined>;
  /** Every object with its size (1 when unknown), for splitting into partitions. */
  all(): Promise<{ key: string; size: number }[]>;
}

/** An explicit list of keys, read in the order given. */
export function keyListSequence(factory: string, keys: readonly string[]): ObjectSequence {
  const position = new Map(keys.map((key, index) => [key, index]));
  return {
    first: async () => keys[0],
    after: async (key, lastKey) => {
      if (key === lastKey) return undefined;
      const index = position.get(key);
      if (index === undefined) {
        throw new ValidationError(`${factory}: the cursor's key ${JSON.stringify(key)} is not in keys; a cursor only resumes the source (same keys) it came from.`);
      }
      return keys[index + 1];
    },
    all: async () => keys.map((key) => ({ key, size: 1 })),
  };
}

/**
 * The keys under a prefix (after `startAfter`), in key order, found by listing. Empty objects
 * (folder markers and the like) hold no records and are passed over without a GET.
 */
export function prefixSequence(client: S3Client, bucket: string, prefix: string, startAfter: string | undefined): ObjectSequence {
  const nextAfter = async (after: string | undefined): Promise<string | undefined> => {
    const { ListObjectsV2Command } = await s3Module();
    let from = after;
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: from, MaxKeys: 20 }));
      const contents = page.Contents ?? [];
      const found = contents.find((object) => object.Key !== undefined && (object.Size ?? 1) > 0);
      if (found !== undefined) return found.Key;
      if (!page.IsTruncated || contents.length === 0) return undefined;
      from = contents[contents.length - 1]!.Key;
    }
  };
  return {
    first: () => nextAfter(startAfter),
    after: async (key, lastKey) => {
      if (key === lastKey) return undefined;
      const next = await nextAfter(key);
      return next !== undefined && lastKey !== undefined && next > lastKey ? undefined : next;
    },
    all: async () => {
      const { ListObjectsV2Command } = await s3Module();
      const objects: { key: string; size: number }[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: startAfter, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined && (object.Size ?? 1) > 0) objects.push({ key: object.Key, size: object.Size ?? 1 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return objects;
    },
  };
}

/**
 * Deals objects into at most `count` consecutive groups of about equal bytes (each object weighs
 * at least 1, so empty objects still spread). Consecutive, so a group is named by its first and
 * last key; an object larger than a group's share makes a group of its own.
 */
export function groupBySize<T extends { size: number }>(objects: readonly T[], count: number): T[][] {
  const weight = (object: T) => Math.max(1, object.size);
  const total = objects.reduce((sum, object) => sum + weight(object), 0);
  const groups: T[][] = [];
  let before = 0;
  let current = -1;
  for (const object of objects) {
    const group = Math.min(count - 1, Math.floor((before * count) / total));
    if (group !== current) {
      groups.push([]);
      current = group;
    }
    groups[groups.length - 1]!.push(object);
    before += weight(object);
  }
  return groups;
}
