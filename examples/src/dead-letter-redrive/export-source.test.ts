// The export source on its own, over real files: pages across files, resuming at a cursor, the
// bytes a page costs, odd line endings, malformed lines, and how files are split into partitions.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { deadLetterExportSource, type ExportCursor } from "./export-source.js";
import type { DeadLetterMessage } from "./messages.js";

const dir = mkdtempSync(join(tmpdir(), "dlq-source-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (id: string): DeadLetterMessage => ({ messageId: id, body: JSON.stringify({ orderId: `o-${id}`, status: "paid" }), attributes: { ApproximateReceiveCount: "5" } });
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const lines = (ids: string[]) => ids.map((id) => JSON.stringify(message(id))).join("\n");
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

/** Reads every page from `cursor` on, returning the ids and the cursors each page started at. */
async function readAll(source: ReturnType<typeof deadLetterExportSource>, start?: ExportCursor): Promise<{ ids: string[]; pages: number }> {
  const seen: string[] = [];
  let cursor: ExportCursor | undefined = start;
  let pages = 0;
  do {
    const page = await source.readPage(cursor);
    seen.push(...page.items.map((m) => m.messageId));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor !== undefined);
  return { ids: seen, pages };
}

describe("deadLetterExportSource", () => {
  it("reads files page by page: a last line without newline, CRLF and blank lines", async () => {
    const a = file("a.jsonl", lines(ids("a", 7)) + "\n");
    const b = file("b.jsonl", lines(ids("b", 3)).replaceAll("\n", "\r\n") + "\r\n\n"); // CRLF, a blank line at the end
    const c = file("c.jsonl", lines(ids("c", 4))); // no final newline
    const source = deadLetterExportSource({ files: [a, b, c], pageSize: 3, readWindowBytes: 64 });
    const { ids: seen, pages } = await readAll(source);
    expect(seen).toEqual([...ids("a", 7), ...ids("b", 3), ...ids("c", 4)]);
    expect(pages).toBe(5); // pages may span files: 14 messages in pages of 3
    const first = await source.readPage(undefined);
    expect(first.items[0]).toEqual(message("a-0"));
  });

  it("resumes mid-file at a cursor, reading only what a page needs", async () => {
    const big = file("big.jsonl", lines(ids("m", 2000)) + "\n"); // about 200 KB
    const reads: number[] = [];
    const source = deadLetterExportSource({ files: [big], pageSize: 10, readWindowBytes: 1024, onRead: (r) => reads.push(r.bytesRead) });
    const page1 = await source.readPage(undefined);
    const page2 = await source.readPage(page1.nextCursor!);
    expect(page2.nextCursor).toMatchObject({ file: 0, line: 21 });
    // A fresh source (another process) picks up at the checkpointed cursor.
    const again = deadLetterExportSource({ files: [big], pageSize: 10 });
    const page3 = await again.readPage(JSON.parse(JSON.stringify(page2.nextCursor)) as ExportCursor);
    expect(page3.items.map((m) => m.messageId)).toEqual(ids("m", 30).slice(20));
    // Ten messages of ~100 bytes: a page reads a window or two, never the file.
    expect(Math.max(...reads)).toBeLessThanOrEqual(2 * 1024);
  });

  it("reads a line longer than the read window whole", async () => {
    const long: DeadLetterMessage = { ...message("long"), body: JSON.stringify({ orderId: "o-long", status: "x".repeat(5000) }) };
    const path = file("long.jsonl", [JSON.stringify(message("s-0")), JSON.stringify(long), JSON.stringify(message("s-1"))].join("\n"));
    const { ids: seen } = await readAll(deadLetterExportSource({ files: [path], pageSize: 2, readWindowBytes: 100 }));
    expect(seen).toEqual(["s-0", "long", "s-1"]);
  });

  it("fails on a malformed line, naming the file and the line", async () => {
    const text = [lines(ids("x", 3)), '{"messageId":"x-3","body":', lines(["x-4"])].join("\n");
    const path = file("broken.jsonl", text);
    const source = deadLetterExportSource({ files: [path], pageSize: 2 });
    const page1 = await source.readPage(undefined);
    await expect(source.readPage(page1.nextCursor!)).rejects.toThrow(new RegExp(`broken\\.jsonl line 4: not JSON`));
    const noBody = file("no-body.jsonl", '{"messageId":"y-0"}\n');
    await expect(deadLetterExportSource({ files: [noBody], pageSize: 2 }).readPage(undefined)).rejects.toThrow(/no-body\.jsonl line 1: body must be a string \(message y-0\)/);
  });

  it("splits whole files into partitions of about equal bytes, each file in exactly one", async () => {
    const sizes = [40, 10, 10, 10, 30];
    const files = sizes.map((count, i) => file(`p${i}.jsonl`, lines(ids(`p${i}`, count)) + "\n"));
    const source = deadLetterExportSource({ files, pageSize: 25 });
    const starts = await source.partitions!(3);
    expect(starts.map((s) => [s.file, s.end])).toEqual([[0, 1], [1, 4], [4, 5]]);
    const perPartition = await Promise.all(starts.map((start) => readAll(source, start)));
    expect(perPartition.flatMap((p) => p.ids)).toEqual(files.flatMap((_, i) => ids(`p${i}`, sizes[i]!)));
    expect((await source.partitions!(10)).length).toBe(5); // at most one child per file
  });

  it("refuses bad options and cursors with what to pass", () => {
    expect(() => deadLetterExportSource({ files: [], pageSize: 10 })).toThrow(/files must be a non-empty array/);
    expect(() => deadLetterExportSource({ files: ["x"], pageSize: 0 })).toThrow(/pageSize must be a whole number from 1 to 10 000, got 0/);
    const source = deadLetterExportSource({ files: ["x"], pageSize: 1 });
    return expect(source.readPage({ file: 0, offset: -1, line: 1, end: 1 })).rejects.toThrow(/a cursor is \{ file, offset, line, end \}/);
  });
});
