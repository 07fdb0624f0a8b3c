import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DistributedMapFailedItem } from "../types/distributed-map.js";
import { JsonLinesFailedItemWriter } from "./json-lines-failed-item-writer.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cairn-failed-items-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const failure = (item: number, partition: number, page: number): DistributedMapFailedItem => ({
  item,
  status: "FAILED",
  errorMessage: `item ${item} failed`,
  partition,
  page,
});

describe("JsonLinesFailedItemWriter", () => {
  it("writes one JSON line per item and reads them back in partition and page order", async () => {
    const writer = new JsonLinesFailedItemWriter(dir);
    const runId = "arn:cairn:local:execution/x/y#1";
    await writer.write({ runId, partition: 10, page: 0, items: [failure(9, 10, 0)] });
    await writer.write({ runId, partition: 2, page: 11, items: [failure(5, 2, 11)] });
    await writer.write({ runId, partition: 2, page: 3, items: [failure(1, 2, 3), failure(2, 2, 3)] });

    expect((await writer.read(runId)).map((f) => f.item)).toEqual([1, 2, 5, 9]);
    const [runDir] = readdirSync(dir);
    expect(runDir).not.toMatch(/[:/#]/);
    const file = readdirSync(join(dir, runDir as string)).find((name) => name.includes("page-000000003"));
    expect(readFileSync(join(dir, runDir as string, file as string), "utf8").trim().split("\n").map((l) => JSON.parse(l).item)).toEqual([1, 2]);
  });

  it("replaces a page written again (a crash before its step was checkpointed), never duplicating it", async () => {
    const writer = new JsonLinesFailedItemWriter(dir);
    await writer.write({ runId: "r", partition: 0, page: 0, items: [failure(1, 0, 0), failure(2, 0, 0)] });
    await writer.write({ runId: "r", partition: 0, page: 0, items: [failure(1, 0, 0), failure(2, 0, 0)] });
    expect((await writer.read("r")).map((f) => f.item)).toEqual([1, 2]);
    expect(readdirSync(join(dir, "r")).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("reads nothing for a run that wrote nothing, and refuses an empty directory", async () => {
    expect(await new JsonLinesFailedItemWriter(join(dir, "missing")).read("r")).toEqual([]);
    expect(() => new JsonLinesFailedItemWriter("")).toThrow(/pass the directory/);
  });
});

describe("JsonLinesFailedItemWriter.source (a redrive's source)", () => {
  it("pages through a run's files, dealt out to at most one partition per file", async () => {
    const writer = new JsonLinesFailedItemWriter(dir);
    for (let page = 0; page < 5; page++) await writer.write({ runId: "r", partition: 0, page, items: [failure(page * 10, 0, page), failure(page * 10 + 1, 0, page)] });
    const source = writer.source("r");

    const starts = await source.partitions!(3);
    expect(starts).toEqual([{ next: 0, stride: 3 }, { next: 1, stride: 3 }, { next: 2, stride: 3 }]);
    const readAll = async (cursor: (typeof starts)[number] | undefined): Promise<unknown[]> => {
      const page = await source.readPage(cursor);
      return page.nextCursor ? [...page.items, ...(await readAll(page.nextCursor))] : [...page.items];
    };
    const dealt = await Promise.all(starts.map(readAll));
    expect(dealt).toEqual([[0, 1, 30, 31], [10, 11, 40, 41], [20, 21]]);
    expect(await readAll(undefined)).toEqual([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]);
    expect(await source.partitions!(10)).toHaveLength(5);
  });

  it("is empty for a run without failures", async () => {
    const source = new JsonLinesFailedItemWriter(dir).source("nothing");
    expect(await source.readPage(undefined)).toEqual({ items: [] });
    expect(await source.partitions!(4)).toEqual([{ next: 0, stride: 1 }]);
  });
});
