// The commit path in one process: group commit through the write-ahead log, what an idle store
// leaves behind, lock handover between store instances, and recovery of a dead writer's log
// (crafted here byte for byte; file-store-group-commit.test.ts produces real ones with SIGKILL).
import { spawnSync } from "node:child_process";
import { access, appendFile, mkdir, mkdtemp, readdir, readFile, readlink, rm, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvocationStatus } from "../../protocol/invocation.js";
import type { OperationUpdate } from "../../protocol/wire.js";
import { CheckpointService } from "../checkpoint-service.js";
import { CorruptLogError, ExecutionNotFoundError, StaleCheckpointTokenError } from "../errors.js";
import { executionIdOfArn } from "../ids.js";
import { fileStoreStats, FileExecutionStore } from "./file-store.js";
import { LogFile } from "./log-file.js";
import { claimPath } from "./name-claims.js";
import { encodeWalRecord } from "./wal-format.js";
import { eventually } from "../test-support/eventually.js";

const stepDone = (id: string): OperationUpdate[] => [
  { Id: id, Type: "STEP", SubType: "Step", Action: "START" },
  { Id: id, Type: "STEP", SubType: "Step", Action: "SUCCEED", Payload: JSON.stringify(id) },
];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-file-wal-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function startExecutions(service: CheckpointService, count: number): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 0; i < count; i++) arns.push((await service.startExecution({ executionName: `e${i}` })).executionArn);
  return arns;
}

/** Begins an invocation and checkpoints `count` steps; returns the last token. */
async function runSteps(service: CheckpointService, arn: string, tag: string, count: number): Promise<string> {
  let token = (await service.beginInvocation(arn)).input.CheckpointToken;
  for (let i = 1; i <= count; i++) {
    const response = await service.checkpoint({ DurableExecutionArn: arn, CheckpointToken: token, Updates: stepDone(`${tag}-${i}`) });
    token = response.CheckpointToken!;
  }
  return token;
}

async function operationIds(arn: string): Promise<string[]> {
  const fresh = new CheckpointService({ store: new FileExecutionStore(dir) });
  return (await fresh.getOperations(arn)).map((op) => op.Id);
}

const logPathOf = (arn: string) => join(dir, "executions", executionIdOfArn(arn)!, "log");
const lockPathOf = (arn: string) => join(dir, "executions", executionIdOfArn(arn)!, "lock");
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;
const deadOwner = (pid: number) => JSON.stringify({ pid, host: hostname(), nonce: "dead" });

/** Removes the last `count` records from an execution log and returns them (as written). */
async function cutRecords(arn: string, count: number): Promise<Buffer[]> {
  // What the writer appends within milliseconds of acknowledging it goes to the file first.
  LogFile.flushPath(logPathOf(arn));
  const bytes = await readFile(logPathOf(arn));
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, end + 1));
    start = end + 1;
  }
  const kept = lines.slice(0, lines.length - count);
  await writeFile(logPathOf(arn), Buffer.concat(kept));
  return lines.slice(lines.length - count);
}

/**
 * Leaves what a writer killed after making `records` durable leaves: its write-ahead log, its
 * lock naming a dead process, and (for `holding`) the executions' locks naming it too.
 */
async function leaveDeadWriter(records: { arn: string; line: Buffer }[], holding: string[], tail = ""): Promise<number> {
  const pid = deadPid();
  await mkdir(join(dir, "wal"), { recursive: true });
  const wal = Buffer.concat(records.map((r) => encodeWalRecord(executionIdOfArn(r.arn)!, r.line)));
  await writeFile(join(dir, "wal", "deadbeef.1.wal"), Buffer.concat([wal, Buffer.from(tail)]));
  await writeFile(join(dir, "wal", "deadbeef.lock"), deadOwner(pid));
  for (const arn of holding) await writeFile(lockPathOf(arn), deadOwner(pid));
  return pid;
}

/** What is left of the dead writer's files. */
async function deadWriterFiles(): Promise<string[]> {
  return (await readdir(join(dir, "wal")).catch(() => [])).filter((name) => name.startsWith("deadbeef"));
}

async function walFiles(): Promise<string[]> {
  return (await readdir(join(dir, "wal")).catch(() => [])).filter((name) => !name.endsWith(".tmp"));
}

describe("FileExecutionStore commit path", () => {
  it("shares one fdatasync between executions committing at the same moment", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    const arns = await startExecutions(service, 20);
    const before = fileStoreStats(store);
    await Promise.all(arns.map((arn) => runSteps(service, arn, "s", 10)));
    const after = fileStoreStats(store);
    const commits = after.commits - before.commits;
    const syncs = after.walSyncs - before.walSyncs;
    expect(commits).toBeGreaterThanOrEqual(20 * 10);
    expect(syncs).toBeLessThan(commits);
    // Each execution's lock was taken once for its eleven writes, not once per write.
    expect(after.lockAcquisitions - before.lockAcquisitions).toBeLessThan(commits / 2);
    for (const arn of arns) {
      expect(await operationIds(arn)).toEqual(["0", ...Array.from({ length: 10 }, (_, i) => `s-${i + 1}`)]);
    }
  });

  it("leaves no write-ahead log and no lock behind once idle, with everything in the execution logs", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    const [arn] = await startExecutions(service, 1);
    await runSteps(service, arn!, "s", 3);
    await eventually(async () => (await walFiles()).length === 0, "the write-ahead log is removed");
    await eventually(async () => !(await readdir(join(logPathOf(arn!), ".."))).includes("lock"), "the lock is released");
    expect(fileStoreStats(store).logSyncs).toBeGreaterThanOrEqual(1);
    // Its start went through the write-ahead log: the entries leading to its log (its directory,
    // and its entry in executions/) were synced before the segment went.
    expect(fileStoreStats(store).directorySyncs).toBeGreaterThanOrEqual(2);
    expect(await operationIds(arn!)).toEqual(["0", "s-1", "s-2", "s-3"]);
  });

  it("holds a new execution from its first record, so its first writes take no lock", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    const [arn] = await startExecutions(service, 1);
    await access(lockPathOf(arn!));
    const before = fileStoreStats(store);
    // Pauses longer than the idle delay of 25 ms: not yet invoked, then within an invocation.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const token = await runSteps(service, arn!, "s", 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await service.checkpoint({ DurableExecutionArn: arn!, CheckpointToken: token, Updates: stepDone("s-4") });
    expect(fileStoreStats(store).lockAcquisitions - before.lockAcquisitions).toBe(0);
    // Another instance of this process is handed it at once, and sees every write.
    expect(await operationIds(arn!)).toEqual(["0", "s-1", "s-2", "s-3", "s-4"]);
    await runSteps(service, arn!, "t", 1);
    await eventually(async () => (await access(lockPathOf(arn!)).then(() => false, () => true)), "the idle execution's lock is removed");
  });

  it("keeps holding an execution suspended on a wait that ends within a second, and lets go of one waiting longer", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    const [short, long] = await startExecutions(service, 2);
    const suspendOn = async (arn: string, seconds: number): Promise<void> => {
      const ticket = await service.beginInvocation(arn);
      const token = ticket.input.CheckpointToken;
      const wait: OperationUpdate = { Id: "w", Type: "WAIT", SubType: "Wait", Action: "START", WaitOptions: { WaitSeconds: seconds } };
      await service.checkpoint({ DurableExecutionArn: arn, CheckpointToken: token, Updates: [wait] });
      await service.endInvocation(arn, ticket, { kind: "returned", output: { Status: InvocationStatus.PENDING } });
    };
    await suspendOn(short!, 1);
    await suspendOn(long!, 30);
    const suspended = performance.now();
    await eventually(async () => (await access(lockPathOf(long!)).then(() => false, () => true)), "the long wait's lock is removed");
    // Well past the idle delay (25 ms) and before the wait ends, the short one is still held.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 300 - (performance.now() - suspended))));
    await access(lockPathOf(short!));
    // Its wait ends: the write that says so finds it held.
    const before = fileStoreStats(store).lockAcquisitions;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - suspended))));
    await service.fireDueTimers(short!);
    expect(fileStoreStats(store).lockAcquisitions - before).toBe(0);
    await runSteps(service, short!, "after", 1);
    expect(await operationIds(short!)).toEqual(["0", "w", "after-1"]);
  });

  it("keeps holding an execution a completed callback wakes, until its next invocation", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    const [arn] = await startExecutions(service, 1);
    const ticket = await service.beginInvocation(arn!);
    const response = await service.checkpoint({
      DurableExecutionArn: arn!,
      CheckpointToken: ticket.input.CheckpointToken,
      Updates: [{ Id: "1", Type: "CALLBACK", SubType: "Callback", Action: "START", CallbackOptions: {} }],
    });
    await service.endInvocation(arn!, ticket, { kind: "returned", output: { Status: InvocationStatus.PENDING } });
    // Nothing will write it soon: let go of.
    await eventually(async () => (await access(lockPathOf(arn!)).then(() => false, () => true)), "the suspended execution's lock is removed");
    const callbackId = response.NewExecutionState?.Operations?.[0]?.CallbackDetails?.CallbackId as string;
    await service.sendCallbackSuccess(callbackId, '"ok"');
    const before = fileStoreStats(store).lockAcquisitions;
    // Well past the idle delay, the invocation the callback wakes finds it held.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await access(lockPathOf(arn!));
    await runSteps(service, arn!, "after", 1);
    expect(fileStoreStats(store).lockAcquisitions - before).toBe(0);
    expect(await operationIds(arn!)).toEqual(["0", "1", "after-1"]);
  });

  it("compares held lock files now and then, all of them once the nudge file changes, and hands over to either kind of waiter", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    // Held from their start (not yet invoked) for a second without a write.
    const arns = await startExecutions(service, 40);
    const before = fileStoreStats(store).lockChecks;
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Each lock is compared on its own at most once in 250 ms: not 40 stats at every 20 ms sweep.
    expect(fileStoreStats(store).lockChecks - before).toBeLessThanOrEqual(40);

    // A waiter that touches the lock file and the store's nudge file: every held lock is compared
    // at the next sweep, and the one waited for is handed over.
    const touch = async (path: string) => {
      const now = new Date();
      await utimes(path, now, now);
    };
    const nudged = fileStoreStats(store).lockChecks;
    await touch(lockPathOf(arns[0]!));
    await writeFile(join(dir, "nudge"), "", { flag: "a" });
    await eventually(async () => (await access(lockPathOf(arns[0]!)).then(() => false, () => true)), "the nudged execution is handed over");
    const fullPass = fileStoreStats(store).lockChecks;
    expect(fullPass - nudged).toBeGreaterThanOrEqual(40);

    // A waiter that touches only the lock file (as older versions do) is seen when its lock is
    // compared on its own (each held lock about every 500 ms). The executions are let go of a
    // second after their start in any case, so this asks only that such comparisons happen.
    await touch(lockPathOf(arns[1]!));
    await eventually(async () => (await access(lockPathOf(arns[1]!)).then(() => false, () => true)), "the execution is handed over");
    expect(fileStoreStats(store).lockChecks).toBeGreaterThan(fullPass);
  });

  it("lets go of an execution as soon as it ends", async () => {
    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    const [arn] = await startExecutions(service, 1);
    const ticket = await service.beginInvocation(arn!);
    await access(lockPathOf(arn!));
    const summary = await service.endInvocation(arn!, ticket, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED, Result: '"done"' } });
    // Its lock is gone at once, not after the idle delay.
    await expect(access(lockPathOf(arn!))).rejects.toThrow();
    expect(summary.status).toBe("SUCCEEDED");
    expect(await operationIds(arn!)).toEqual(["0"]);
  });

  it("keeps one execution when two instances start the same name at once; the other leaves nothing behind", async () => {
    const first = new CheckpointService({ store: new FileExecutionStore(dir) });
    const second = new CheckpointService({ store: new FileExecutionStore(dir) });
    const started = await Promise.all([first, second, first, second].map((s) => s.startExecution({ executionName: "same" })));
    const arn = started[0]!.executionArn;
    expect(started.map((s) => s.executionArn)).toEqual([arn, arn, arn, arn]);
    expect(await readdir(join(dir, "executions"))).toEqual([executionIdOfArn(arn)]);
    await runSteps(second, arn, "b", 2);
    expect(await operationIds(arn)).toEqual(["0", "b-1", "b-2"]);
    await eventually(async () => (await readdir(join(dir, "executions", executionIdOfArn(arn)!))).every((f) => !f.startsWith("lock")), "no lock file is left");
    // The losers close the logs they had opened for their own, removed, executions (once the
    // write-ahead log, which synced them, lets go too).
    if (process.platform === "linux") {
      const deletedLogsOpen = async () => {
        const links = await Promise.all((await readdir("/proc/self/fd")).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")));
        return links.filter((link) => link.startsWith(dir) && link.endsWith("(deleted)")).length;
      };
      await eventually(async () => (await deletedLogsOpen()) === 0, "no removed execution's log is left open");
    }
  });

  it("hands an execution back and forth between two store instances without losing a write", async () => {
    const a = new CheckpointService({ store: new FileExecutionStore(dir, { lockTimeoutMs: 5_000 }) });
    const b = new CheckpointService({ store: new FileExecutionStore(dir, { lockTimeoutMs: 5_000 }) });
    const [arn] = await startExecutions(a, 1);
    const expected = ["0"];
    for (let i = 1; i <= 10; i++) {
      const service = i % 2 === 1 ? a : b;
      await runSteps(service, arn!, `r${i}`, 2);
      expected.push(`r${i}-1`, `r${i}-2`);
    }
    expect(await operationIds(arn!)).toEqual(expected);

    // Both at once: every write either lands or is fenced as stale, none is lost or doubled.
    const outcomes = await Promise.all(
      [a, b].map(async (service, n) => {
        const acked: string[] = [];
        for (let i = 1; i <= 15; i++) {
          try {
            await runSteps(service, arn!, `${n}-${i}`, 1);
            acked.push(`${n}-${i}-1`);
          } catch (error) {
            if (!(error instanceof StaleCheckpointTokenError)) throw error;
          }
        }
        return acked;
      }),
    );
    const ids = await operationIds(arn!);
    expect(ids.slice(0, expected.length)).toEqual(expected);
    expect(ids.slice(expected.length).sort()).toEqual(outcomes.flat().sort());
  });

  it("applies a durable record whose append never happened before the execution is written again", async () => {
    const writer = new CheckpointService({ store: new FileExecutionStore(dir) });
    const [arn] = await startExecutions(writer, 1);
    const token = await runSteps(writer, arn!, "s", 3);
    // An instance that read the execution before the crash (so its first-touch recovery is over)...
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    expect(await service.getOperations(arn!)).toHaveLength(4);
    // ...while the writer had made s-3 durable in its write-ahead log and was killed before
    // appending it.
    const [lost] = await cutRecords(arn!, 1);
    await leaveDeadWriter([{ arn: arn!, line: lost! }], [arn!]);

    // Its next write finds the dead writer's lock, and recovers before breaking it.
    await service.checkpoint({ DurableExecutionArn: arn!, CheckpointToken: token, Updates: stepDone("s-4") });
    expect(fileStoreStats(store)).toMatchObject({ recoveredWriters: 1, recoveredRecords: 1 });
    expect(await operationIds(arn!)).toEqual(["0", "s-1", "s-2", "s-3", "s-4"]);
    expect(await deadWriterFiles()).toEqual([]);
  });

  it("restores execution-log tails lost with the page cache, ignoring a torn write-ahead-log tail", async () => {
    const writer = new CheckpointService({ store: new FileExecutionStore(dir) });
    const arns = await startExecutions(writer, 3);
    for (const arn of arns) await runSteps(writer, arn, "s", 4);
    // A power loss took the last records of each log (one of them mid-record); the dead writer's
    // log still has them, and ends in half a record.
    const records: { arn: string; line: Buffer }[] = [];
    for (const [n, arn] of arns.entries()) {
      for (const line of await cutRecords(arn, n + 1)) records.push({ arn, line });
    }
    await appendFile(logPathOf(arns[2]!), records.at(-1)!.line.subarray(0, 20));
    const torn = encodeWalRecord(executionIdOfArn(arns[0]!)!, Buffer.from('0123456789abcdef {"seq":99}\n')).subarray(0, 40);
    await leaveDeadWriter(records, arns, torn.toString("latin1"));

    const store = new FileExecutionStore(dir);
    for (const arn of arns) expect(await new CheckpointService({ store }).getOperations(arn)).toHaveLength(5);
    expect(fileStoreStats(store)).toMatchObject({ recoveredWriters: 1, recoveredRecords: 6 });
    for (const arn of arns) expect(await operationIds(arn)).toEqual(["0", "s-1", "s-2", "s-3", "s-4"]);
    expect(await deadWriterFiles()).toEqual([]);
  });

  it("makes an execution whose directory a power loss took again from the dead writer's log, when its name is claimed", async () => {
    const writer = new CheckpointService({ store: new FileExecutionStore(dir) });
    const [arn] = await startExecutions(writer, 1);
    await runSteps(writer, arn!, "s", 2);
    // Its directory entry never reached the disk; the claim did (it is synced before the start is acknowledged).
    const lines = await cutRecords(arn!, 4);
    await rm(join(logPathOf(arn!), ".."), { recursive: true });
    await leaveDeadWriter(lines.map((line) => ({ arn: arn!, line })), []);

    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect((await service.getOperations(arn!)).map((op) => op.Id)).toEqual(["0", "s-1", "s-2"]);
    expect((await service.listExecutions()).map((summary) => summary.executionArn)).toEqual([arn]);
    expect(await deadWriterFiles()).toEqual([]);
    // And it goes on from there.
    await runSteps(service, arn!, "t", 1);
    expect(await operationIds(arn!)).toEqual(["0", "s-1", "s-2", "t-1"]);
  });

  it("does not make again an execution whose name another execution holds, nor one removed since", async () => {
    const writer = new CheckpointService({ store: new FileExecutionStore(dir) });
    const [lost, removed] = await startExecutions(writer, 2);
    const lostLines = await cutRecords(lost!, 1);
    const removedLines = await cutRecords(removed!, 1);
    // `lost` (named e0) never got its claim — its writer died first — and e0 was then started
    // again by another process; `removed` (e1) was removed, claim and directory.
    await unlink(claimPath(dir, "e0"));
    const again = (await new CheckpointService({ store: new FileExecutionStore(dir) }).startExecution({ executionName: "e0" })).executionArn;
    await unlink(claimPath(dir, "e1"));
    await rm(join(logPathOf(removed!), ".."), { recursive: true });
    await leaveDeadWriter(
      [...lostLines.map((line) => ({ arn: lost!, line })), ...removedLines.map((line) => ({ arn: removed!, line }))],
      [],
    );

    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect((await service.listExecutions()).map((summary) => summary.executionArn)).toEqual([again]);
    for (const arn of [lost!, removed!]) {
      await expect(service.getOperations(arn)).rejects.toBeInstanceOf(ExecutionNotFoundError);
      await expect(access(join(logPathOf(arn), "..")), `${arn} left behind`).rejects.toThrow();
    }
    expect(await deadWriterFiles()).toEqual([]);
  });

  it("recovers a dead writer's log exactly once when two instances open the directory at once", async () => {
    const writer = new CheckpointService({ store: new FileExecutionStore(dir) });
    const arns = await startExecutions(writer, 4);
    for (const arn of arns) await runSteps(writer, arn, "s", 3);
    const records: { arn: string; line: Buffer }[] = [];
    for (const arn of arns) for (const line of await cutRecords(arn, 2)) records.push({ arn, line });
    await leaveDeadWriter(records, arns);

    const stores = [new FileExecutionStore(dir), new FileExecutionStore(dir)];
    await Promise.all(stores.flatMap((store) => arns.map((arn) => new CheckpointService({ store }).getOperations(arn))));
    const stats = stores.map((store) => fileStoreStats(store));
    expect(stats.map((s) => s.recoveredWriters).sort()).toEqual([0, 1]);
    expect(stats[0]!.recoveredRecords + stats[1]!.recoveredRecords).toBe(8);
    // Appended once: a doubled record would break the seq order (CorruptLogError on load).
    for (const arn of arns) expect(await operationIds(arn)).toEqual(["0", "s-1", "s-2", "s-3"]);
  });

  it("refuses to write an execution whose dead writer's log does not continue it", async () => {
    const writer = new CheckpointService({ store: new FileExecutionStore(dir) });
    const [arn] = await startExecutions(writer, 1);
    const token = await runSteps(writer, arn!, "s", 3);
    // s-2 is gone from the log and from every write-ahead log; only s-3 survives.
    const lost = await cutRecords(arn!, 2);
    await leaveDeadWriter([{ arn: arn!, line: lost[1]! }], [arn!]);
    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect((await service.getOperations(arn!)).map((op) => op.Id)).toEqual(["0", "s-1"]);
    const error = await service
      .checkpoint({ DurableExecutionArn: arn!, CheckpointToken: token, Updates: stepDone("s-4") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLogError);
    expect((error as Error).message).toMatch(/continues at seq/);
    expect(await deadWriterFiles()).toContain("deadbeef.1.wal");
    expect((await operationIds(arn!)).at(-1)).toBe("s-1");
  });

  it("reports damage in the middle of a dead writer's log instead of guessing", async () => {
    const writer = new CheckpointService({ store: new FileExecutionStore(dir) });
    const [arn] = await startExecutions(writer, 1);
    await runSteps(writer, arn!, "s", 2);
    const lost = await cutRecords(arn!, 2);
    await leaveDeadWriter([{ arn: arn!, line: lost[0]! }], [arn!]);
    const segment = join(dir, "wal", "deadbeef.1.wal");
    const good = await readFile(segment);
    const second = encodeWalRecord(executionIdOfArn(arn!)!, lost[1]!);
    await writeFile(segment, Buffer.concat([good.subarray(0, 30), Buffer.from("garbage\n"), second]));
    const error = await new CheckpointService({ store: new FileExecutionStore(dir) }).getOperations(arn!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLogError);
    expect(error).toMatchObject({ file: segment, offset: 0 });
    expect(await deadWriterFiles()).toContain("deadbeef.1.wal");
  });
});
