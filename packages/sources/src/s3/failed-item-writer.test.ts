// S3FailedItemWriter against a local S3 server (s3rver) through the real @aws-sdk/client-s3: pages
// replaced in place, read back in order across listing pages, run ids of any characters kept apart,
// a redrive source dealt over partitions, and a distributed map whose failures are redriven.
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { defineDistributedMap, ValidationError, withDurableExecution, type DistributedMapFailedItem, type DistributedMapResult, type DurableContext } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemsOf, readAll } from "../test-support/read-all.js";
import { startLocalS3, type LocalS3 } from "../test-support/local-s3.js";
import { S3FailedItemWriter } from "./failed-item-writer.js";

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(() => s3?.stop());

const failure = (item: unknown, partition: number, page: number): DistributedMapFailedItem => ({
  item,
  status: "FAILED",
  errorType: "Error",
  errorMessage: `${JSON.stringify(item)} broke`,
  partition,
  page,
});

async function keysIn(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Counts the requests `client` sends, by command name (a middleware on the real client). */
function countRequests(client: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? "?", (counts.get(context.commandName ?? "?") ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: `count-${Math.random()}` },
  );
  return counts;
}

describe("S3FailedItemWriter", () => {
  it("replaces a page written again instead of appending to it", async () => {
    const bucket = await s3.bucket();
    const writer = new S3FailedItemWriter({ client: s3.client, bucket });
    const batch = { runId: "run-1", partition: 0, page: 4, items: [failure(1, 0, 4), failure(2, 0, 4)] };
    await writer.write(batch);
    await writer.write(batch); // a crash between the write and its step's checkpoint
    expect((await writer.read("run-1")).map((f) => f.item)).toEqual([1, 2]);
    await writer.write({ ...batch, items: [failure(3, 0, 4)] });
    expect(await writer.read("run-1")).toEqual([failure(3, 0, 4)]);
    expect(await keysIn(bucket)).toEqual(["cairn-failed-items/run-1/partition-000000-page-000000004.jsonl"]);
  });

  it("reads a run back in partition and page order, not the order written nor string order of the numbers", async () => {
    const bucket = await s3.bucket();
    const writer = new S3FailedItemWriter({ client: s3.client, bucket, prefix: "jobs/failed/" });
    const positions: Array<[number, number]> = [[10, 0], [2, 11], [2, 3], [0, 100], [0, 9], [1, 0]];
    for (const [partition, page] of positions) {
      await writer.write({ runId: "r", partition, page, items: [failure(`${partition}/${page}/a`, partition, page), failure(`${partition}/${page}/b`, partition, page)] });
    }
    const expected = [[0, 9], [0, 100], [1, 0], [2, 3], [2, 11], [10, 0]].flatMap(([p, g]) => [`${p}/${g}/a`, `${p}/${g}/b`]);
    const read = await writer.read("r");
    expect(read.map((f) => f.item)).toEqual(expected);
    expect(read[0]).toEqual(failure("0/9/a", 0, 9));
    expect(await writer.read("no-such-run")).toEqual([]);
  });

  it("follows listing pages: more objects than one ListObjectsV2 call returns", async () => {
    const bucket = await s3.bucket();
    const client = s3.client;
    const writer = new S3FailedItemWriter({ client, bucket, listPageSize: 3 });
    for (let page = 0; page < 10; page++) await writer.write({ runId: "many", partition: page % 2, page, items: [failure(page, page % 2, page)] });
    const counts = countRequests(client);
    expect((await writer.read("many")).map((f) => f.item)).toEqual([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]);
    expect(counts.get("ListObjectsV2Command")).toBe(4); // 10 keys, 3 per call
    expect(counts.get("GetObjectCommand")).toBe(10);
  });

  it("reads past S3's 1000 keys a listing call at the default page size", async () => {
    const bucket = await s3.bucket();
    const writer = new S3FailedItemWriter({ client: s3.client, bucket });
    const pages = Array.from({ length: 1005 }, (_, page) => page);
    for (let start = 0; start < pages.length; start += 25) {
      await Promise.all(pages.slice(start, start + 25).map((page) => writer.write({ runId: "big", partition: 0, page, items: [failure(page, 0, page)] })));
    }
    expect((await writer.read("big")).map((f) => f.item)).toEqual(pages);
    const source = writer.source<number>("big");
    const starts = await source.partitions!(2);
    expect(starts).toEqual([{ key: "partition-000000-page-000000000.jsonl", stride: 2 }, { key: "partition-000000-page-000000001.jsonl", stride: 2 }]);
  }, 120_000);

  it("keeps run ids with any characters apart, one folder each, and lists them", async () => {
    const bucket = await s3.bucket();
    const writer = new S3FailedItemWriter({ client: s3.client, bucket, prefix: "" });
    const runIds = [
      "arn:aws:lambda:us-east-1:123456789012:function:backfill:$LATEST/durable-execution/2f9c/7e1a#1-2",
      "arn:aws:lambda:us-east-1:123456789012:function:backfill:$LATEST/durable-execution/2f9c/7e1a#1-20",
      "a/b",
      "a",
      "..",
      ".",
      "%41",
      "A",
      "über straße+plus?q=1&x",
      "*'()!~",
      "tab\there",
    ];
    for (const [index, runId] of runIds.entries()) await writer.write({ runId, partition: 0, page: 0, items: [failure(index, 0, 0)] });
    for (const [index, runId] of runIds.entries()) expect((await writer.read(runId)).map((f) => f.item), runId).toEqual([index]);
    expect(await writer.runs()).toEqual([...runIds].sort());
    const keys = await keysIn(bucket);
    expect(keys).toHaveLength(runIds.length);
    // One folder segment per run, of safe characters only: no "/", "#", ":", "." or "%" left raw.
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_%-]+\/partition-000000-page-000000000\.jsonl$/);
  });

  it("keeps two runs apart under the same prefix, and lists only folders it made", async () => {
    const bucket = await s3.bucket();
    const writer = new S3FailedItemWriter({ client: s3.client, bucket, prefix: "f/" });
    await writer.write({ runId: "run", partition: 0, page: 0, items: [failure("run-0", 0, 0)] });
    await writer.write({ runId: "run-2", partition: 0, page: 0, items: [failure("run-2-0", 0, 0)] });
    await writer.write({ runId: "run", partition: 1, page: 0, items: [failure("run-1", 1, 0)] });
    await s3.put(bucket, "f/run/notes.txt", "not a page"); // a stray object in a run's folder
    await s3.put(bucket, "f/%zz/partition-000000-page-000000000.jsonl", "{}\n"); // a folder no run id encodes to
    await s3.put(bucket, "elsewhere/run/partition-000000-page-000000000.jsonl", JSON.stringify(failure("other", 0, 0)) + "\n");
    expect((await writer.read("run")).map((f) => f.item)).toEqual(["run-0", "run-1"]);
    expect((await writer.read("run-2")).map((f) => f.item)).toEqual(["run-2-0"]);
    expect(await writer.runs()).toEqual(["run", "run-2"]);
    expect(itemsOf(await readAll(writer.source("run")))).toEqual(["run-0", "run-1"]);
  });

  it("rejects bad options and batches with a message naming the field, before any request", async () => {
    const bucket = await s3.bucket();
    const counts = countRequests(s3.client);
    const client = s3.client;
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /pass an options object/],
      [{ bucket }, /client must be an S3Client/],
      [{ client, bucket: "" }, /bucket must be a non-empty string/],
      [{ client, bucket: "my bucket" }, /bucket must be a bucket name/],
      [{ client, bucket, prefix: "failed" }, /prefix must end with \//],
      [{ client, bucket, prefix: "a//b/" }, /prefix must not hold an empty folder/],
      [{ client, bucket, prefix: "/failed/" }, /prefix must not start with \//],
      [{ client, bucket, prefix: 7 }, /prefix must be a string/],
      [{ client, bucket, prefix: `${"p".repeat(600)}/` }, /prefix must be at most 512 bytes/],
      [{ client, bucket, listPageSize: 0 }, /listPageSize must be a whole number from 1 to 1000/],
      [{ client, bucket, listPageSize: 1001 }, /listPageSize must be a whole number from 1 to 1000/],
      // Shown as given: NaN is not "null", and a string is quoted.
      [{ client, bucket, listPageSize: Number.NaN }, /listPageSize must be a whole number from 1 to 1000, got NaN\./],
      [{ client, bucket, listPageSize: "50" }, /listPageSize must be a whole number from 1 to 1000, got "50"\./],
    ];
    for (const [options, message] of bad) {
      expect(() => new S3FailedItemWriter(options as never), String(message)).toThrow(ValidationError);
      expect(() => new S3FailedItemWriter(options as never)).toThrow(message);
    }
    const writer = new S3FailedItemWriter({ client, bucket, prefix: `${"p".repeat(500)}/` });
    const item = [failure(1, 0, 0)];
    await expect(writer.write({ runId: "", partition: 0, page: 0, items: item })).rejects.toThrow(/runId must be a non-empty string/);
    await expect(writer.write({ runId: "r", partition: -1, page: 0, items: item })).rejects.toThrow(/partition must be a whole number from 0 to 999999/);
    await expect(writer.write({ runId: "r", partition: 0, page: 1e9, items: item })).rejects.toThrow(/page must be a whole number from 0 to 999999999/);
    await expect(writer.write({ runId: "r", partition: Number.NaN, page: 0, items: item })).rejects.toThrow(/partition must be a whole number from 0 to 999999, got NaN\./);
    await expect(writer.write({ runId: "\ud800", partition: 0, page: 0, items: item })).rejects.toThrow(/unpaired surrogate/);
    await expect(writer.write({ runId: "/".repeat(200), partition: 0, page: 0, items: item })).rejects.toThrow(/would be \d+ bytes, more than S3's 1024/);
    await expect(writer.read("")).rejects.toThrow(ValidationError);
    expect(() => writer.source("")).toThrow(/S3FailedItemWriter.source: runId must be a non-empty string/);
    await expect(writer.source("r").readPage({ key: "../other", stride: 1 })).rejects.toThrow(/is not a page object's name/);
    await expect(writer.source("r").readPage({ stride: 0 })).rejects.toThrow(/stride 0 is not a whole number/);
    expect(counts.size).toBe(0);
  });

  it("reports a failed request with the request and the s3:// location", async () => {
    const writer = new S3FailedItemWriter({ client: s3.client, bucket: "no-such-bucket-here" });
    const write = writer.write({ runId: "a#b", partition: 3, page: 7, items: [failure(1, 3, 7)] });
    await expect(write).rejects.toThrow(/S3FailedItemWriter: PutObject s3:\/\/no-such-bucket-here\/cairn-failed-items\/a%23b\/partition-000003-page-000000007\.jsonl failed \(NoSuchBucket/);
    await expect(write.catch((error: Error) => Promise.reject(error.cause))).rejects.toMatchObject({ name: "NoSuchBucket" });
    await expect(writer.read("a#b")).rejects.toThrow(/ListObjectsV2 s3:\/\/no-such-bucket-here\/cairn-failed-items\/a%23b\/\* failed/);

    const bucket = await s3.bucket();
    await s3.put(bucket, "cairn-failed-items/r/partition-000000-page-000000000.jsonl", '{"item":1}\nnot json\n');
    await expect(new S3FailedItemWriter({ client: s3.client, bucket }).read("r")).rejects.toThrow(
      /s3:\/\/.*\/cairn-failed-items\/r\/partition-000000-page-000000000\.jsonl at character 11 is not a JSON line/,
    );
  });
});

describe("S3FailedItemWriter.source (a redrive's source)", () => {
  it.each([1, 2, 3, 4, 7, 11, 50])("partitions(%i) deal the page objects out so every item is read exactly once", async (count) => {
    const bucket = await s3.bucket();
    // A list page size below the stride, so finding a partition's next object takes several calls.
    const writer = new S3FailedItemWriter({ client: s3.client, bucket, listPageSize: 2 });
    const written: string[] = [];
    for (const [partition, pages] of [[0, 4], [1, 1], [3, 6]] as const) {
      for (let page = 0; page < pages; page++) {
        const items = Array.from({ length: 1 + (page % 3) }, (_, i) => `${partition}-${page}-${i}`);
        written.push(...items);
        await writer.write({ runId: "run#7", partition, page, items: items.map((item) => failure(item, partition, page)) });
      }
    }
    const source = writer.source<string>("run#7");
    const starts = await source.partitions!(count);
    expect(starts).toHaveLength(Math.min(count, 11));
    const dealt = [];
    for (const start of starts) {
      const pages = await readAll(source, start);
      // One object per page: each page holds one written page's items.
      for (const page of pages) expect(new Set(page.items.map((item) => item.split("-").slice(0, 2).join("-"))).size).toBe(1);
      dealt.push(itemsOf(pages));
    }
    expect(dealt.flat().sort()).toEqual([...written].sort());
    expect(dealt.map((items) => items.length).reduce((a, b) => a + b, 0)).toBe(written.length);
    // Unsplit, it reads everything in partition and page order.
    expect(itemsOf(await readAll(source))).toEqual(written);
  });

  it("is empty for a run without failures", async () => {
    const bucket = await s3.bucket();
    const source = new S3FailedItemWriter({ client: s3.client, bucket }).source("nothing");
    expect(await source.readPage(undefined)).toEqual({ items: [] });
    expect(await source.partitions!(4)).toEqual([{ stride: 1 }]);
  });
});

describe("a distributed map's failures in S3, redriven", () => {
  let failures: S3FailedItemWriter;
  const broken = new Set([4, 5, 61, 62, 63, 140, 199]);
  const processed: number[] = [];
  const work = async (n: number, ctx: DurableContext) =>
    ctx.step(
      "work",
      async () => {
        if (broken.has(n)) throw new Error(`${n} is not ready`);
        processed.push(n);
        return n;
      },
      { retryStrategy: () => ({ shouldRetry: false }) },
    );
  const first = defineDistributedMap("s3-failures-first-run", {
    source: () => Array.from({ length: 200 }, (_, i) => i),
    itemHandler: work,
    pageSize: 10,
    // The writer needs the server's client, which exists only once the tests start.
    failedItemWriter: { write: (batch) => failures.write(batch) },
  });
  const redrive = defineDistributedMap("s3-failures-redrive", {
    source: (params: { runId: string }) => failures.source<number>(params.runId),
    itemHandler: work,
  });

  it("a redrive over writer.source(runId) runs only the items that failed", async () => {
    failures = new S3FailedItemWriter({ client: s3.client, bucket: await s3.bucket(), prefix: "maps/failed/" });
    const firstHandler = withDurableExecution(async (_event: unknown, ctx) =>
      ctx.distributedMap(first, { itemsPerChild: 50, maxFailedItems: 1, completionConfig: { toleratedFailurePercentage: 100 }, functionName: "s3-r1" }),
    );
    const firstRun = (
      await new LocalDurableTestRunner({ handlerFunction: firstHandler, skipTime: true }).registerDurableFunction("s3-r1", firstHandler).run({ payload: {} })
    ).getResult() as DistributedMapResult;
    expect(firstRun.counts).toMatchObject({ succeeded: 193, failed: 7 });
    expect(firstRun.failedItems).toHaveLength(1); // the summary keeps one; the writer has them all
    const kept = await failures.read(firstRun.runId);
    expect(kept.map((f) => f.item)).toEqual([...broken]);
    expect(kept.every((f) => f.status === "FAILED" && /is not ready/.test(f.errorMessage))).toBe(true);
    expect(await failures.runs()).toEqual([firstRun.runId]);
    expect(firstRun.runId).toMatch(/#/);

    broken.clear();
    processed.length = 0;
    const redriveHandler = withDurableExecution(async (event: { runId: string }, ctx) =>
      ctx.distributedMap(redrive, { params: { runId: event.runId }, partitions: 3, functionName: "s3-r2" }),
    );
    const second = (
      await new LocalDurableTestRunner({ handlerFunction: redriveHandler, skipTime: true })
        .registerDurableFunction("s3-r2", redriveHandler)
        .run({ payload: { runId: firstRun.runId } })
    ).getResult() as DistributedMapResult;
    expect(second.counts).toEqual({ succeeded: 7, failed: 0, timedOut: 0, skipped: 0, pending: 0, total: 7 });
    expect(second.children).toHaveLength(3);
    expect(processed.sort((a, b) => a - b)).toEqual([4, 5, 61, 62, 63, 140, 199]);
  });
});
