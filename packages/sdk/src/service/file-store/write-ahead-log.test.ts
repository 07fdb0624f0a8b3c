// The write-ahead log on its own, with segments small enough to rotate: a full segment is
// checkpointed (its execution logs fdatasynced, then it is deleted) while later groups go on in a
// new one, and records reach the execution logs in commit order.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LogFile } from "./log-file.js";
import { encodeLogRecord, scanLogRecords } from "./mutation-log.js";
import { scanWal } from "./wal-format.js";
import { WriteAheadLog, WriteAheadLogFailedError } from "./write-ahead-log.js";

const ids = ["01ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FAW", "01ARZ3NDEKTSV4RRFFQ69G5FAX"];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-wal-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("WriteAheadLog", () => {
  it("rotates full segments, checkpointing each, and keeps every record in order", async () => {
    const wal = new WriteAheadLog(join(dir, "wal"), { segmentBytes: 2_000, idleMs: 10_000 });
    const logs: LogFile[] = [];
    for (const id of ids) {
      await writeFile(join(dir, id), "");
      logs.push(await LogFile.open(join(dir, id)));
    }
    for (let seq = 1; seq <= 30; seq++) {
      await Promise.all(ids.map((id, n) => wal.commit(id, encodeLogRecord({ seq, operations: [] }), logs[n]!)));
    }
    await wal.settled();
    expect(wal.stats.commits).toBe(90);
    expect(wal.stats.walSyncs).toBeLessThanOrEqual(90);
    expect(wal.stats.checkpoints).toBeGreaterThanOrEqual(3);
    expect(wal.stats.logSyncs).toBeGreaterThanOrEqual(3);
    // What is left is the current segment only, holding nothing a checkpoint already covered.
    const segments = (await readdir(join(dir, "wal"))).filter((name) => name.endsWith(".wal"));
    expect(segments).toHaveLength(1);
    const left = scanWal(await readFile(join(dir, "wal", segments[0]!)), segments[0]!).records;
    expect(Math.min(...left.map((r) => r.seq))).toBeGreaterThan(1);
    expect(Math.max(...left.map((r) => r.seq))).toBe(30);
    for (const id of ids) {
      // A reader in this process has the records still queued for the log appended first.
      LogFile.flushPath(join(dir, id));
      const scan = scanLogRecords(await readFile(join(dir, id)), 0, id, 1);
      expect(scan.mutations.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
    for (const log of logs) await log.unref();
  });

  it("writes zeros ahead of its records, which a reader takes for a tail that was never written", async () => {
    const wal = new WriteAheadLog(join(dir, "wal"), { segmentBytes: 8 * 1024 * 1024, idleMs: 10_000 });
    await writeFile(join(dir, "log"), "");
    const log = await LogFile.open(join(dir, "log"));
    for (let seq = 1; seq <= 20; seq++) await wal.commit(ids[0]!, encodeLogRecord({ seq, operations: [] }), log);
    const [segment] = (await readdir(join(dir, "wal"))).filter((name) => name.endsWith(".wal"));
    const bytes = await readFile(join(dir, "wal", segment!));
    const scan = scanWal(bytes, segment!);
    // Twenty small records, and about a megabyte of room after them.
    expect(bytes.length - scan.validLength).toBeGreaterThan(900 * 1024);
    expect(scan.records.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(scan.tornTail).toBe(true);
    expect(bytes.subarray(scan.validLength).every((byte) => byte === 0)).toBe(true);
    await log.unref();
  });

  it("appends a busy log's acknowledged records together, soon after, without a reader asking", async () => {
    const wal = new WriteAheadLog(join(dir, "wal"), { segmentBytes: 8 * 1024 * 1024, idleMs: 10_000 });
    await writeFile(join(dir, "log"), "");
    const log = await LogFile.open(join(dir, "log"));
    const lines = Array.from({ length: 40 }, (_, i) => encodeLogRecord({ seq: i + 1, operations: [] }));
    for (const line of lines) await wal.commit(ids[0]!, line, log);
    // Forty records, acknowledged one after another, went to the file in far fewer writes.
    const expected = Buffer.concat(lines);
    for (let i = 0; i < 200 && (await stat(join(dir, "log"))).size < expected.length; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await readFile(join(dir, "log"))).toEqual(expected);
    expect(log.appends).toBeGreaterThan(0);
    expect(log.appends).toBeLessThan(lines.length / 2);
    await log.unref();
  });

  it("syncs a checkpoint's execution logs two at a time, so commits keep threads of the pool", async () => {
    const wal = new WriteAheadLog(join(dir, "wal"), { segmentBytes: 8 * 1024 * 1024, idleMs: 20 });
    const logs: LogFile[] = [];
    const names = Array.from({ length: 12 }, (_, i) => `log-${i}`);
    for (const name of names) {
      await writeFile(join(dir, name), "");
      logs.push(await LogFile.open(join(dir, name)));
    }
    // The real fdatasync, held a little longer so that syncs issued together would overlap.
    const datasync = LogFile.prototype.datasync;
    let syncing = 0;
    let most = 0;
    let calls = 0;
    const spy = vi.spyOn(LogFile.prototype, "datasync").mockImplementation(async function (this: LogFile) {
      calls++;
      most = Math.max(most, ++syncing);
      try {
        await datasync.call(this);
        await new Promise((resolve) => setTimeout(resolve, 3));
      } finally {
        syncing--;
      }
    });
    try {
      await Promise.all(logs.map((log, n) => wal.commit(ids[n % ids.length]!, encodeLogRecord({ seq: 1, operations: [] }), log)));
      // Idle: the segment is checkpointed, every log synced, and the segment deleted.
      for (let i = 0; i < 400 && wal.stats.checkpoints === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      await wal.settled();
    } finally {
      spy.mockRestore();
    }
    expect(wal.stats.checkpoints).toBe(1);
    expect(wal.stats.logSyncs).toBe(names.length);
    expect(calls).toBe(names.length);
    expect(most).toBe(2);
    for (const name of names) {
      LogFile.flushPath(join(dir, name));
      expect(scanLogRecords(await readFile(join(dir, name)), 0, name, 1).mutations.map((m) => m.seq)).toEqual([1]);
    }
    expect((await readdir(join(dir, "wal"))).filter((name) => name.endsWith(".wal"))).toEqual([]);
    for (const log of logs) await log.unref();
  });

  it("fails, keeping its segment, when a record cannot be appended to its execution log", async () => {
    const wal = new WriteAheadLog(join(dir, "wal"), { segmentBytes: 8 * 1024 * 1024, idleMs: 10 });
    // A log on a full disk: every write to /dev/full fails with ENOSPC.
    const log = await LogFile.open("/dev/full");
    await wal.commit(ids[0]!, encodeLogRecord({ seq: 1, operations: [] }), log);
    for (let i = 0; i < 200 && !wal.failure; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(wal.failure).toBeInstanceOf(WriteAheadLogFailedError);
    expect(String(wal.failure?.cause)).toMatch(/ENOSPC/);
    await expect(wal.commit(ids[0]!, encodeLogRecord({ seq: 2, operations: [] }), log)).rejects.toBeInstanceOf(WriteAheadLogFailedError);
    // The acknowledged record stays in the write-ahead log, for the next process to recover.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const segments = (await readdir(join(dir, "wal"))).filter((name) => name.endsWith(".wal"));
    expect(segments).toHaveLength(1);
    expect(scanWal(await readFile(join(dir, "wal", segments[0]!)), segments[0]!).records.map((r) => r.seq)).toEqual([1]);
    // A later flush does not write again after the failed one.
    expect(() => log.flushSync()).toThrow(/ENOSPC/);
  });

  it("opens its next segment ahead, and leaves neither it nor its lock behind once idle", async () => {
    const wal = new WriteAheadLog(join(dir, "wal"), { segmentBytes: 4_000, idleMs: 30 });
    await writeFile(join(dir, "log"), "");
    const log = await LogFile.open(join(dir, "log"));
    let seq = 0;
    const commit = () => wal.commit(ids[0]!, encodeLogRecord({ seq: ++seq, operations: [] }), log);
    const segmentFiles = async () => (await readdir(join(dir, "wal")).catch(() => [])).filter((name) => name.endsWith(".wal")).sort();
    // Past half of the first segment: the second is made while the first still takes records.
    while ((await segmentFiles()).length < 2) await commit();
    const [first, second] = await segmentFiles();
    expect(scanWal(await readFile(join(dir, "wal", second!)), second!).records).toEqual([]);
    // Once the first is full the records go on in the second.
    while (!(await segmentFiles()).includes(second!) || (await segmentFiles()).includes(first!)) await commit();
    await commit();
    expect(scanWal(await readFile(join(dir, "wal", second!)), second!).records.length).toBeGreaterThan(0);
    // Half of the second: a third is opened ahead.
    while ((await segmentFiles()).length < 2) await commit();
    expect((await segmentFiles()).filter((name) => name !== second)).toHaveLength(1);
    // Idle: every segment (the one opened ahead of the second included) and the lock are removed.
    for (let i = 0; i < 400 && (await readdir(join(dir, "wal"))).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await readdir(join(dir, "wal"))).toEqual([]);
    LogFile.flushPath(join(dir, "log"));
    const scan = scanLogRecords(await readFile(join(dir, "log")), 0, "log", 1);
    expect(scan.mutations.map((m) => m.seq)).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    await log.unref();
  });
});
