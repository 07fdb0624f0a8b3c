// The dead-letter redrive on the local runner with skipped time, over export files on disk: counts,
// each message delivered once by its idempotency key, the poison messages redriven after a fix,
// crashes of the parent and of the children, a child that resumes at its cursor, and a malformed
// export line.
import type { DistributedMapResult, DurableLambdaHandler } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { DeadLetterMessage } from "./messages.js";
import { handler, pageReads, poisonMessages, type RedriveEvent } from "./redrive.js";
import { orderService } from "./target.js";

// The child-crash injection of @cairn/testing's own distributed-map tests, loaded by path: the
// examples' tsconfig (rootDir src) admits no static import from outside src.
type CrashingChildren = (
  handler: DurableLambdaHandler,
  plan: (checkpointNumber: number) => "before" | "after" | undefined,
) => { wrapped: DurableLambdaHandler; crashes(): number };
const helper = fileURLToPath(new URL("../../../packages/testing/src/test-support/crashing-children.ts", import.meta.url));
const { crashingChildren } = (await import(helper)) as { crashingChildren: CrashingChildren };

const root = mkdtempSync(join(tmpdir(), "dlq-redrive-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;
let exportDir: string;

beforeEach(() => {
  exportDir = join(root, `run-${++runs}`);
  mkdirSync(exportDir);
  process.env.DEAD_LETTER_FAILURES_DIR = join(exportDir, "failures");
  orderService.reset();
  pageReads.length = 0;
});

/** Message `i` of file `f`; every `poisonEvery`-th one in the legacy `key=value` body the target refuses. */
function message(f: number, i: number, poisonEvery: number): DeadLetterMessage {
  const messageId = `f${f}-m${String(i).padStart(4, "0")}`;
  const poison = poisonEvery > 0 && i % poisonEvery === poisonEvery - 1;
  const body = poison ? `orderId=o-${messageId};status=refunded` : JSON.stringify({ orderId: `o-${messageId}`, status: "paid" });
  return { messageId, body, attributes: { ApproximateReceiveCount: "5", SentTimestamp: String(1_700_000_000_000 + i) } };
}

/** Writes `counts[f]` messages to file f; the last file has no final newline. Returns paths and messages. */
function writeExport(counts: number[], poisonEvery = 0): { files: string[]; messages: DeadLetterMessage[] } {
  const messages: DeadLetterMessage[] = [];
  const files = counts.map((count, f) => {
    const own = Array.from({ length: count }, (_, i) => message(f, i, poisonEvery));
    messages.push(...own);
    const path = join(exportDir, `part-${f}.jsonl`);
    writeFileSync(path, own.map((m) => JSON.stringify(m)).join("\n") + (f === counts.length - 1 ? "" : "\n"));
    return path;
  });
  return { files, messages };
}

const FUNCTION = "dead-letter-redrive-fn";
const runner = (children: DurableLambdaHandler = handler) =>
  new LocalDurableTestRunner<DistributedMapResult>({ handlerFunction: handler, skipTime: true }).registerDurableFunction(FUNCTION, children);

/** Every message but the poison ones is at the target, once, with its body. */
function expectDeliveredOnce(messages: DeadLetterMessage[], poison: Set<string>): void {
  const expected = messages.filter((m) => !poison.has(m.messageId));
  expect(orderService.delivered.size).toBe(expected.length);
  for (const m of expected) expect(orderService.delivered.get(m.messageId), m.messageId).toEqual(JSON.parse(m.body));
}

describe("dead-letter redrive (distributedMap over a JSON-lines export)", () => {
  it("delivers 600 messages from 3 files once each, records the poison ones, and redrives them after the fix", async () => {
    const { files, messages } = writeExport([250, 150, 200], 100);
    const poison = new Set(messages.filter((m) => m.body.startsWith("orderId=")).map((m) => m.messageId));
    expect(poison.size).toBe(5);
    const first = await runner().run({ payload: { files, pageSize: 40, partitions: 3, functionName: FUNCTION } satisfies RedriveEvent });
    expect(first.getStatus()).toBe("SUCCEEDED");
    const summary = first.getResult()!;
    expect(summary.counts).toEqual({ succeeded: 595, failed: 5, timedOut: 0, skipped: 0, pending: 0, total: 600 });
    expect(summary.children.map((c) => [c.status, c.counts?.total])).toEqual([["SUCCEEDED", 250], ["SUCCEEDED", 150], ["SUCCEEDED", 200]]);
    expect(new Set(summary.failedItems.map((f) => (f.item as DeadLetterMessage).messageId))).toEqual(poison);
    expect(summary.failedItems[0]).toMatchObject({ errorType: "PoisonMessageError", errorMessage: expect.stringMatching(/body is not JSON/) });
    expectDeliveredOnce(messages, poison);
    expect(orderService.calls).toBe(600); // one call per message: no retry of a poison one, no repeat
    // Every page read once: ceil(250/40) + ceil(150/40) + ceil(200/40) pages.
    expect(pageReads).toHaveLength(7 + 4 + 5);

    const failedFirst = await poisonMessages().read(summary.runId);
    expect(failedFirst.map((f) => (f.item as DeadLetterMessage).messageId).sort()).toEqual([...poison].sort());
    const second = await runner().run({ payload: { mode: "poison", runId: summary.runId, functionName: FUNCTION } satisfies RedriveEvent });
    const redriven = second.getResult()!;
    expect(redriven.counts).toMatchObject({ succeeded: 5, failed: 0, total: 5 });
    expect(orderService.delivered.size).toBe(600);
    for (const id of poison) expect(orderService.delivered.get(id)).toEqual({ orderId: `o-${id}`, status: "refunded" });
    expect(orderService.calls).toBe(605); // only the poison messages were sent again
    expect(orderService.repeats).toBe(0);
    expect(await poisonMessages().read(redriven.runId)).toEqual([]);
  });

  it("delivers every message once by idempotency key through crashes of the parent and the children", async () => {
    const { files, messages } = writeExport([200, 120, 180, 100], 50);
    const poison = new Set(messages.filter((m) => m.body.startsWith("orderId=")).map((m) => m.messageId));
    // Every 11th checkpoint of a child invocation crashes it, alternately before and after the store.
    const children = crashingChildren(handler, (n) => (n % 11 === 0 ? (n % 2 === 0 ? "before" : "after") : undefined));
    const result = await runner(children.wrapped).run({
      payload: { files, pageSize: 25, partitions: 4, functionName: FUNCTION } satisfies RedriveEvent,
      faults: { crashAfterCheckpoint: [2, 5, 9, 13], crashBeforeCheckpoint: [4, 7, 11] },
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInjectedCrashCount()).toBeGreaterThanOrEqual(4); // the parent's checkpoint count depends on batching
    expect(children.crashes()).toBeGreaterThan(10);
    const summary = result.getResult()!;
    expect(summary.counts).toEqual({ succeeded: 600 - poison.size, failed: poison.size, timedOut: 0, skipped: 0, pending: 0, total: 600 });
    expect(new Set(summary.failedItems.map((f) => (f.item as DeadLetterMessage).messageId))).toEqual(poison);
    expectDeliveredOnce(messages, poison);
    // At least once: a message was sent again only when its step was in flight as its child
    // crashed (at most maxConcurrency per crash), and the key made the target ignore the repeat.
    const resent = orderService.calls - messages.length;
    expect(resent).toBeGreaterThanOrEqual(0);
    expect(resent).toBeLessThanOrEqual(children.crashes() * 10);
    expect(orderService.repeats).toBeLessThanOrEqual(resent);
  });

  it("resumes a crashed child at its checkpointed page: pages before it are never read again", async () => {
    const { files, messages } = writeExport([300]);
    const pages = 300 / 20;
    for (const crashAt of [3, 8, 14, 21, 30]) {
      orderService.reset();
      pageReads.length = 0;
      let readsBeforeCrash = -1;
      const children = crashingChildren(handler, (n) => {
        if (n !== crashAt) return undefined;
        readsBeforeCrash = pageReads.length;
        return n % 2 === 0 ? "before" : "after";
      });
      const result = await runner(children.wrapped).run({ payload: { files, pageSize: 20, partitions: 1, functionName: FUNCTION } satisfies RedriveEvent });
      expect(result.getResult()!.counts.succeeded, `crash at child checkpoint ${crashAt}`).toBe(300);
      expect(children.crashes()).toBe(1);
      expectDeliveredOnce(messages, new Set());
      const offsets = pageReads.map((r) => r.cursor.offset);
      const before = offsets.slice(0, readsBeforeCrash);
      const after = offsets.slice(readsBeforeCrash);
      // The resumed invocation reads on from the last page read before the crash (that page again
      // at most, when its read was not yet stored), never an earlier one.
      if (before.length > 0 && after.length > 0) expect(after[0]!, `crash at ${crashAt}`).toBeGreaterThanOrEqual(before.at(-1)!);
      expect(new Set(offsets).size).toBe(pages);
      expect(pageReads.length, `crash at ${crashAt}`).toBeLessThanOrEqual(pages + 1);
    }
  });

  it("fails the child whose file has a malformed line, naming the file and line; other files are delivered", async () => {
    const { files, messages } = writeExport([60, 60, 60]);
    const lines = messages.slice(60, 120).map((m) => JSON.stringify(m));
    lines[41] = '{"messageId": "f1-m0041", "body": '; // line 42 of part-1, cut off
    writeFileSync(files[1]!, lines.join("\n") + "\n");
    const result = await runner().run({ payload: { files, pageSize: 20, partitions: 3, functionName: FUNCTION } satisfies RedriveEvent });
    const summary = result.getResult()!;
    expect(summary.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(summary.children[1]).toMatchObject({ status: "FAILED", errorMessage: expect.stringMatching(/part-1\.jsonl line 42: not JSON/) });
    // The pages before the bad one were delivered; the rest of the file waits for a fixed export.
    expect(summary.children[1]!.remaining?.cursor).toMatchObject({ file: 1, line: 41 });
    expect(orderService.delivered.has("f1-m0039")).toBe(true);
    expect(orderService.delivered.has("f1-m0040")).toBe(false);
    expect(orderService.delivered.has("f0-m0059")).toBe(true);
  });
});
