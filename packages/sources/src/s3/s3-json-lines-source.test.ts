import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MalformedRecordError, SourceObjectChangedError } from "../errors.js";
import { itemsOf, readAll } from "../test-support/read-all.js";
import { startLocalS3, type LocalS3 } from "../test-support/local-s3.js";
import type { S3RecordsCursor } from "./object-records-source.js";
import { s3JsonLinesSource } from "./s3-json-lines-source.js";

let s3: LocalS3;
let bucket: string;

const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => JSON.stringify({ id: from + i, name: `item ${from + i}` }));
// Three objects under the prefix (CRLF, a blank line, no final line break), an empty one (passed
// over), one outside.
const objects: Record<string, string> = {
  "in/part-0.jsonl": lines(0, 25).join("\n") + "\n",
  "in/part-1.jsonl": lines(25, 40).join("\r\n") + "\r\n\r\n",
  "in/part-2-empty.jsonl": "",
  "in/part-3.jsonl": lines(40, 57).join("\n"),
  "other/part-0.jsonl": lines(1000, 1010).join("\n"),
};
const ids = (items: unknown[]) => items.map((item) => (item as { id: number }).id);
const all = Array.from({ length: 57 }, (_, i) => i);

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.bucket();
  for (const [key, body] of Object.entries(objects)) await s3.put(bucket, key, body);
});
afterAll(() => s3?.stop());

describe("s3JsonLinesSource", () => {
  it("reads every record of every object under the prefix once, in order, never more than pageSize a page", async () => {
    const pages = await readAll(s3JsonLinesSource({ client: s3.client, bucket, prefix: "in/", pageSize: 10 }));
    expect(ids(itemsOf(pages))).toEqual(all);
    expect(pages.every((page) => page.items.length <= 10)).toBe(true);
    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5, 10, 5, 10, 7]);
    expect(itemsOf(pages)[3]).toEqual({ id: 3, name: "item 3" });
  });

  it.each([1, 7, 40, 1000])("gives the same records whatever the read window (%i bytes): records are never split", async (readWindowBytes) => {
    const pages = await readAll(s3JsonLinesSource({ client: s3.client, bucket, prefix: "in/", pageSize: 4, readWindowBytes }));
    expect(ids(itemsOf(pages))).toEqual(all);
  });

  it("reads a record far larger than the read window whole", async () => {
    const big = { id: "big", payload: "é".repeat(200_000) }; // 400 000 bytes of two-byte characters
    await s3.put(bucket, "big/one.jsonl", `{"id":"before"}\n${JSON.stringify(big)}\n{"id":"after"}\n`);
    const pages = await readAll(s3JsonLinesSource({ client: s3.client, bucket, keys: ["big/one.jsonl"], pageSize: 10, readWindowBytes: 1024 }));
    const items = itemsOf(pages) as { id: string; payload?: string }[];
    expect(items.map((item) => item.id)).toEqual(["before", "big", "after"]);
    expect(items[1]).toEqual(big);
  });

  it("resumes mid-object from a checkpointed cursor: the rest once, nothing before it", async () => {
    const source = s3JsonLinesSource({ client: s3.client, bucket, prefix: "in/", pageSize: 6 });
    const first = await source.readPage(undefined);
    const second = await source.readPage(first.nextCursor!);
    const checkpointed = JSON.parse(JSON.stringify(second.nextCursor)) as S3RecordsCursor;
    expect(checkpointed).toMatchObject({ key: "in/part-0.jsonl", offset: expect.any(Number), etag: expect.any(String) });
    expect(checkpointed.offset).toBeGreaterThan(0);
    // A fresh source (another process), from the checkpoint.
    const resumed = await readAll(s3JsonLinesSource({ client: s3.client, bucket, prefix: "in/", pageSize: 6 }), checkpointed);
    expect(ids([...first.items, ...second.items, ...itemsOf(resumed)])).toEqual(all);
  });

  it("reads keys in the order given", async () => {
    const pages = await readAll(s3JsonLinesSource({ client: s3.client, bucket, keys: ["in/part-3.jsonl", "in/part-0.jsonl"], pageSize: 100 }));
    expect(ids(itemsOf(pages))).toEqual([...all.slice(40), ...all.slice(0, 25)]);
  });

  it.each([1, 2, 3, 4, 10])("partitions(%i): groups of whole objects that together read every record exactly once", async (count) => {
    const source = s3JsonLinesSource({ client: s3.client, bucket, prefix: "in/", pageSize: 8 });
    const starts = await source.partitions!(count);
    expect(starts.length).toBeLessThanOrEqual(Math.min(count, 4));
    expect(starts.length).toBeGreaterThanOrEqual(Math.min(count, 2));
    const seen: number[] = [];
    for (const start of starts) seen.push(...ids(itemsOf(await readAll(source, start))));
    expect(seen).toEqual(all);
  });

  it("partitions of an explicit key list cover it exactly once", async () => {
    const keys = ["in/part-3.jsonl", "in/part-1.jsonl", "in/part-0.jsonl"];
    const source = s3JsonLinesSource({ client: s3.client, bucket, keys, pageSize: 8 });
    const starts = await source.partitions!(2);
    expect(starts).toHaveLength(2);
    const seen: number[] = [];
    for (const start of starts) seen.push(...ids(itemsOf(await readAll(source, start))));
    expect(seen).toEqual([...all.slice(40), ...all.slice(25, 40), ...all.slice(0, 25)]);
  });

  it("a prefix with no objects is one empty partition", async () => {
    const source = s3JsonLinesSource({ client: s3.client, bucket, prefix: "nothing-here/" });
    const starts = await source.partitions!(4);
    expect(starts).toHaveLength(1);
    expect(await readAll(source, starts[0])).toEqual([{ items: [], cursor: undefined }]);
  });

  it("fails with SourceObjectChangedError when the object under a mid-object cursor was overwritten", async () => {
    await s3.put(bucket, "changing/a.jsonl", lines(0, 20).join("\n"));
    const source = s3JsonLinesSource({ client: s3.client, bucket, keys: ["changing/a.jsonl"], pageSize: 5 });
    const first = await source.readPage(undefined);
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: "changing/a.jsonl", Body: lines(100, 140).join("\n") }));
    const error = await source.readPage(first.nextCursor!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceObjectChangedError);
    expect((error as Error).message).toMatch(/s3:\/\/.*\/changing\/a\.jsonl changed while it was being read .*Start a new run/);
    // Reading the new object from its start is fine.
    expect(ids(itemsOf(await readAll(source)))).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
  });

  it("names the key and byte offset of a line that is not JSON", async () => {
    await s3.put(bucket, "broken/a.jsonl", '{"id":1}\n{"id":2\n{"id":3}\n');
    const error = await readAll(s3JsonLinesSource({ client: s3.client, bucket, keys: ["broken/a.jsonl"] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedRecordError);
    expect((error as Error).message).toMatch(/broken\/a\.jsonl, record at byte 9: not valid JSON/);
  });

  it("rejects bad options, naming the field", () => {
    const client = s3.client;
    expect(() => s3JsonLinesSource({ client, bucket })).toThrow(/give exactly one of keys .* or prefix/);
    expect(() => s3JsonLinesSource({ client, bucket, keys: ["a"], prefix: "b" })).toThrow(/exactly one of keys/);
    expect(() => s3JsonLinesSource({ client, bucket, keys: [] })).toThrow(/keys must be a non-empty array/);
    expect(() => s3JsonLinesSource({ client, bucket, keys: ["a", "a"] })).toThrow(/keys\[1\] "a" is listed twice/);
    expect(() => s3JsonLinesSource({ client, bucket, prefix: "p", pageSize: 0 })).toThrow(/pageSize must be a whole number/);
    expect(() => s3JsonLinesSource({ client, bucket, prefix: "p", readWindowBytes: 1.5 })).toThrow(/readWindowBytes/);
    const source = s3JsonLinesSource({ client, bucket, prefix: "p" });
    return expect(source.readPage({ key: 3 } as never)).rejects.toThrow(/a cursor is \{ key, offset, etag\?, lastKey\? \}/);
  });
});
