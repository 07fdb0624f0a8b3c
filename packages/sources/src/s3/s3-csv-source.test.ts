import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MalformedRecordError } from "../errors.js";
import { itemsOf, readAll } from "../test-support/read-all.js";
import { startLocalS3, type LocalS3 } from "../test-support/local-s3.js";
import type { S3RecordsCursor } from "./object-records-source.js";
import { s3CsvSource } from "./s3-csv-source.js";

let s3: LocalS3;
let bucket: string;

// Quoted delimiters, quoted CRLF and LF inside fields, doubled quotes, an empty quoted field,
// multi-byte characters, a blank line, CRLF record ends and no final line break.
const tricky =
  'id,name,note\r\n' +
  '1,"Smith, Jane","said ""hi"""\r\n' +
  '2,Zoë,"line one\r\nline two"\r\n' +
  '\r\n' +
  '3,"","multi\nline\nnote, with comma"\r\n' +
  '4,plain,€ price\r\n' +
  '5,"quoted ""only""",x';
const trickyRows = [
  { id: "1", name: "Smith, Jane", note: 'said "hi"' },
  { id: "2", name: "Zoë", note: "line one\r\nline two" },
  { id: "3", name: "", note: "multi\nline\nnote, with comma" },
  { id: "4", name: "plain", note: "€ price" },
  { id: "5", name: 'quoted "only"', note: "x" },
];

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.bucket();
  await s3.put(bucket, "csv/tricky.csv", tricky);
  await s3.put(bucket, "csv/many.csv", "n,square\n" + Array.from({ length: 30 }, (_, n) => `${n},${n * n}`).join("\n") + "\n");
  await s3.put(bucket, "tsv/a.tsv", "a\tb\n1\t2\n");
  await s3.put(bucket, "bom/a.csv", "\uFEFFid,v\n1,2\n");
  await s3.put(bucket, "raw/no-header.csv", "x,1\ny,2\n");
  await s3.put(bucket, "bad/fields.csv", "a,b\n1,2\n3\n");
  await s3.put(bucket, "bad/quote.csv", 'a,b\n1,"open\n');
  await s3.put(bucket, "bad/stray.csv", 'a,b\n1,x"y\n');
});
afterAll(() => s3?.stop());

describe("s3CsvSource", () => {
  it.each([1, 5, 16, 64, 4096])("parses RFC 4180 quoting, line breaks in fields and UTF-8 the same with a %i-byte read window", async (readWindowBytes) => {
    const pages = await readAll(s3CsvSource({ client: s3.client, bucket, keys: ["csv/tricky.csv"], pageSize: 2, readWindowBytes }));
    expect(itemsOf(pages)).toEqual(trickyRows);
    expect(pages.every((page) => page.items.length <= 2)).toBe(true);
  });

  it("resumes mid-object from a checkpointed cursor, reading the header again in a fresh process", async () => {
    const first = await s3CsvSource({ client: s3.client, bucket, keys: ["csv/many.csv"], pageSize: 7 }).readPage(undefined);
    const cursor = JSON.parse(JSON.stringify(first.nextCursor)) as S3RecordsCursor;
    expect(cursor.offset).toBeGreaterThan(0);
    const rest = itemsOf(await readAll(s3CsvSource({ client: s3.client, bucket, keys: ["csv/many.csv"], pageSize: 7 }), cursor));
    const rows = [...first.items, ...rest];
    expect(rows).toEqual(Array.from({ length: 30 }, (_, n) => ({ n: String(n), square: String(n * n) })));
  });

  it("reads every row of every object under a prefix, each object with its own header", async () => {
    const pages = await readAll(s3CsvSource({ client: s3.client, bucket, prefix: "csv/", pageSize: 10 }));
    const rows = itemsOf(pages);
    expect(rows).toHaveLength(35);
    expect(rows.slice(0, 2)).toEqual([{ n: "0", square: "0" }, { n: "1", square: "1" }]); // many.csv sorts first
    expect(rows.slice(30)).toEqual(trickyRows);
  });

  it("drops a byte order mark before the header", async () => {
    expect(itemsOf(await readAll(s3CsvSource({ client: s3.client, bucket, keys: ["bom/a.csv"] })))).toEqual([{ id: "1", v: "2" }]);
  });

  it("takes a delimiter, and columns for objects without a header row", async () => {
    expect(itemsOf(await readAll(s3CsvSource({ client: s3.client, bucket, keys: ["tsv/a.tsv"], delimiter: "\t" })))).toEqual([{ a: "1", b: "2" }]);
    const rows = itemsOf(await readAll(s3CsvSource({ client: s3.client, bucket, keys: ["raw/no-header.csv"], columns: ["name", "count"] })));
    expect(rows).toEqual([{ name: "x", count: "1" }, { name: "y", count: "2" }]);
  });

  it.each([
    ["bad/fields.csv", /bad\/fields\.csv, record at byte 8: the row has 1 fields, the header 2/],
    ["bad/quote.csv", /bad\/quote\.csv, record at byte 4: a quoted field is not closed/],
    ["bad/stray.csv", /bad\/stray\.csv, record at byte 4: a quote inside an unquoted field/],
  ])("names the key and byte offset of a malformed row (%s)", async (key, message) => {
    const error = await readAll(s3CsvSource({ client: s3.client, bucket, keys: [key] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedRecordError);
    expect((error as Error).message).toMatch(message);
  });

  it("rejects bad options, naming the field", () => {
    const client = s3.client;
    expect(() => s3CsvSource({ client, bucket, prefix: "csv/", delimiter: ";;" })).toThrow(/delimiter must be one ASCII character/);
    expect(() => s3CsvSource({ client, bucket, prefix: "csv/", delimiter: '"' })).toThrow(/delimiter/);
    expect(() => s3CsvSource({ client, bucket, prefix: "csv/", columns: [] })).toThrow(/columns must be a non-empty array/);
  });
});
