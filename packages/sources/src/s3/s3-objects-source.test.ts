import { ValidationError } from "@cairn/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemsOf, readAll } from "../test-support/read-all.js";
import { startLocalS3, type LocalS3 } from "../test-support/local-s3.js";
import { s3ObjectsSource } from "./s3-objects-source.js";

let s3: LocalS3;
let bucket: string;
// Folders of different sizes, keys directly under the prefix between them, and keys outside the
// prefix that must never appear. (No folder-marker keys such as "data/day=01/": s3rver's file
// store cannot list them.)
const keys = [
  "data/a.txt",
  "data/day=01/part-0",
  "data/day=01/part-1",
  "data/day=02/part-0",
  "data/day=03/part-0",
  "data/day=03/part-1",
  "data/day=03/part-2",
  "data/m.txt",
  "data/day=04/part-0",
  "data/day=05/part-0",
  "data/z.txt",
].sort();
const outside = ["dat", "datb/x", "other/day=01/part-0"];

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.bucket();
  for (const key of [...keys, ...outside]) await s3.put(bucket, key, `body of ${key}`);
});
afterAll(() => s3?.stop());

describe("s3ObjectsSource", () => {
  it("lists every object under the prefix once, in key order, pageSize per page", async () => {
    const pages = await readAll(s3ObjectsSource({ client: s3.client, bucket, prefix: "data/", pageSize: 5 }));
    expect(keys).toHaveLength(11);
    expect(pages.map((page) => page.items.length)).toEqual([5, 5, 1]);
    const items = itemsOf(pages);
    expect(items.map((item) => item.key)).toEqual(keys);
    expect(items[0]).toEqual({ key: "data/a.txt", size: "body of data/a.txt".length, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/), lastModified: expect.any(String) });
    expect(Number.isNaN(Date.parse(items[0]!.lastModified))).toBe(false);
  });

  it("resumes from a checkpointed cursor without repeating or skipping keys", async () => {
    const source = s3ObjectsSource({ client: s3.client, bucket, prefix: "data/", pageSize: 4 });
    const first = await source.readPage(undefined);
    const resumed = await readAll(source, JSON.parse(JSON.stringify(first.nextCursor)));
    expect([...first.items, ...itemsOf(resumed)].map((item) => item.key)).toEqual(keys);
  });

  it("honours startAfter", async () => {
    const pages = await readAll(s3ObjectsSource({ client: s3.client, bucket, prefix: "data/", startAfter: "data/day=03/part-2" }));
    expect(itemsOf(pages).map((item) => item.key)).toEqual(keys.filter((key) => key > "data/day=03/part-2"));
  });

  it.each([1, 2, 3, 5, 50])("partitions(%i) at folder boundaries cover every key exactly once", async (count) => {
    const source = s3ObjectsSource({ client: s3.client, bucket, prefix: "data/", pageSize: 2 });
    const starts = await source.partitions!(count);
    expect(starts.length).toBe(Math.min(count, 5));
    const seen: string[] = [];
    for (const start of starts) seen.push(...itemsOf(await readAll(source, start)).map((item) => item.key));
    expect(seen).toEqual(keys); // consecutive ranges in order: sorted, no duplicates, nothing missing
  });

  it("partitions with startAfter cover the keys after it exactly once, even from inside a folder", async () => {
    const startAfter = "data/day=03/part-0";
    const source = s3ObjectsSource({ client: s3.client, bucket, prefix: "data/", startAfter, pageSize: 2 });
    const starts = await source.partitions!(3);
    expect(starts.length).toBeGreaterThan(1);
    const seen: string[] = [];
    for (const start of starts) seen.push(...itemsOf(await readAll(source, start)).map((item) => item.key));
    expect(seen).toEqual(keys.filter((key) => key > startAfter));
  });

  it("partitions by a custom delimiter, and gives one range when there is nothing to split at", async () => {
    const byEquals = s3ObjectsSource({ client: s3.client, bucket, prefix: "data/day", partitionDelimiter: "-" });
    const starts = await byEquals.partitions!(3);
    expect(starts.length).toBeGreaterThan(1);
    const seen: string[] = [];
    for (const start of starts) seen.push(...itemsOf(await readAll(byEquals, start)).map((item) => item.key));
    expect(seen).toEqual(keys.filter((key) => key.startsWith("data/day")));
    const flat = s3ObjectsSource({ client: s3.client, bucket, prefix: "data/day=03/" });
    expect(await flat.partitions!(4)).toEqual([{}]);
  });

  it("rejects bad options, naming the field", () => {
    expect(() => s3ObjectsSource({ client: s3.client, bucket: "" })).toThrow(/bucket must be a non-empty string/);
    expect(() => s3ObjectsSource({ client: s3.client, bucket, pageSize: 1001 })).toThrow(/pageSize must be a whole number from 1 to 1000/);
    expect(() => s3ObjectsSource({ client: {} as never, bucket })).toThrow(ValidationError);
    expect(() => s3ObjectsSource({ client: s3.client, bucket, partitionDelimiter: "" })).toThrow(/partitionDelimiter/);
  });
});
