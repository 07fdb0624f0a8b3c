// Recovery of dead writers' write-ahead logs (write-ahead-log.ts). A writer is dead when the
// process its lock file names is gone (or the lock file is missing). Its log may hold records that
// are not in their execution logs — after a power loss (the execution logs are not fsynced per
// commit) or when the process died between making a batch durable and appending it — and records
// that are in an execution log only in the page cache. Recovery, one recoverer at a time (the
// directory's recovery.lock), merges every dead log's records per execution in seq order, cuts a
// torn tail off each execution log, appends the records that continue it, fdatasyncs it, and only
// then deletes the dead logs. An execution whose first record is among them may have lost its
// directory too: it is made again when its name's claim names it (restoreCreated). The argument
// for why this is enough is in docs/cli-and-file-store.md.
import { close, fdatasync, open, promises as fs } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { CorruptLogError } from "../errors.js";
import { isErrno } from "./errno.js";
import {
  acquireFileLock,
  breakStaleLock,
  readLockState,
  tryAcquireFileLock,
  type FileLock,
  type LockOwner,
  type LockState,
} from "./file-lock.js";
import { parseLogLine, scanLogRecords } from "./mutation-log.js";
import { claimedId } from "./name-claims.js";
import { syncDirectory } from "./sync-directory.js";
import { scanWal, type WalRecord } from "./wal-format.js";

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);

const SEGMENT = /^([0-9a-f]+)\.(\d+)\.wal$/;

/** What one recovery did. */
export interface RecoveryReport {
  /** Dead writers whose logs were applied and deleted. */
  writers: number;
  /** Records appended to execution logs (the rest were there already). */
  appended: number;
  /**
   * Executions a dead log has records for that could not be brought up to date (damaged log, or
   * a gap before the dead log's records). Their dead logs are kept, and their locks must not be
   * broken: the caller reports the error instead.
   */
  unrecovered: Map<string, Error>;
}

interface DeadWriter {
  lockPath: string;
  lock: LockState | undefined;
  segments: string[];
}

const ownerKey = (owner: LockOwner) => `${owner.host}\u0000${owner.pid}`;

async function listDeadWriters(walDir: string): Promise<DeadWriter[]> {
  let names: string[];
  try {
    names = await fs.readdir(walDir);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return [];
    throw error;
  }
  const segments = new Map<string, { number: number; path: string }[]>();
  for (const name of names) {
    const match = SEGMENT.exec(name);
    if (!match) continue;
    const list = segments.get(match[1]!) ?? [];
    list.push({ number: Number(match[2]), path: join(walDir, name) });
    segments.set(match[1]!, list);
  }
  const dead: DeadWriter[] = [];
  for (const [writer, list] of segments) {
    const lockPath = join(walDir, `${writer}.lock`);
    const lock = await readLockState(lockPath);
    if (lock && !lock.stale) continue; // a live writer
    dead.push({ lockPath, lock, segments: list.sort((a, b) => a.number - b.number).map((s) => s.path) });
  }
  return dead;
}

/** Whether the store at `storeDir` has a dead writer's log to recover (cheap, no lock). */
export async function hasDeadWriters(storeDir: string): Promise<boolean> {
  return (await listDeadWriters(join(storeDir, "wal"))).length > 0;
}

/**
 * Applies and deletes every dead writer's log. Returns what it did; throws CorruptLogError when a
 * dead log is damaged before a valid record (it is left in place, nothing is guessed).
 */
export async function recoverDeadWriters(storeDir: string, lockTimeoutMs?: number): Promise<RecoveryReport> {
  const walDir = join(storeDir, "wal");
  if (!(await hasDeadWriters(storeDir))) return { writers: 0, appended: 0, unrecovered: new Map() };
  const lock = await acquireFileLock(join(walDir, "recovery.lock"), { timeoutMs: lockTimeoutMs });
  try {
    // Listed again under the lock: another recoverer may have finished meanwhile.
    const dead = await listDeadWriters(walDir);
    const deadOwners = new Set(dead.flatMap((w) => (w.lock?.owner ? [ownerKey(w.lock.owner)] : [])));
    const byExecution = new Map<string, WalRecord[]>();
    for (const writer of dead) {
      for (const segment of writer.segments) {
        const data = await fs.readFile(segment).catch((error: unknown) => {
          if (isErrno(error, "ENOENT")) return Buffer.alloc(0);
          throw error;
        });
        for (const record of scanWal(data, segment).records) {
          const list = byExecution.get(record.executionId) ?? [];
          list.push(record);
          byExecution.set(record.executionId, list);
        }
      }
    }
    let appended = 0;
    const unrecovered = new Map<string, Error>();
    for (const [executionId, records] of byExecution) {
      records.sort((a, b) => a.seq - b.seq);
      const outcome = await applyToExecution(storeDir, executionId, records, deadOwners);
      if (outcome instanceof Error) unrecovered.set(executionId, outcome);
      else appended += outcome;
    }
    if (unrecovered.size > 0) return { writers: 0, appended, unrecovered };
    for (const writer of dead) {
      for (const segment of writer.segments) await fs.unlink(segment).catch(() => undefined);
      if (writer.lock) await breakStaleLock(writer.lockPath, writer.lock.raw);
    }
    return { writers: dead.length, appended, unrecovered };
  } finally {
    await lock.release();
  }
}

/** fdatasync without writing: a file opened read-only can still be made durable. */
async function makeDurable(path: string): Promise<void> {
  let fd: number;
  try {
    fd = await openAsync(path, "r");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return;
    throw error;
  }
  try {
    await fdatasyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
}

/**
 * Brings one execution's log up to date with the dead logs' records (sorted by seq). Returns how
 * many records it appended, or why it could not (damaged log, or a gap), in which case the dead
 * logs are kept.
 */
async function applyToExecution(
  storeDir: string,
  executionId: string,
  records: WalRecord[],
  deadOwners: Set<string>,
): Promise<number | Error> {
  const executionDir = join(storeDir, "executions", executionId);
  const logPath = join(executionDir, "log");
  const lockPath = join(executionDir, "lock");
  const created = records[0]?.seq === 1 ? await restoreCreated(storeDir, executionDir, executionId, records[0]) : "not here";
  if (created instanceof Error) return created;
  if (created === "never") return 0;
  const appended = await appendToExecution(logPath, lockPath, records, deadOwners);
  if (created === "claimed" && typeof appended === "number") {
    // The entries leading to a log made again (or never synced) are durable before the dead logs go.
    await syncDirectory(executionDir);
    await syncDirectory(join(storeDir, "executions"));
  }
  return appended;
}

/**
 * For dead logs that hold an execution's first record: whether the execution came to exist. It
 * did when its name's claim names it (the claim is linked only after that record was durable);
 * then its directory and log are made again if a power loss took them ("claimed"). Otherwise
 * ("never") its writer died before claiming the name, lost the name to another execution, or it
 * was removed since: it is not made again, and what is left of its directory goes.
 */
async function restoreCreated(
  storeDir: string,
  executionDir: string,
  executionId: string,
  first: WalRecord,
): Promise<"claimed" | "never" | "not here" | Error> {
  const parsed = parseLogLine(first.logLine.subarray(0, first.logLine.length - 1));
  const name = parsed.ok ? parsed.mutation.summary?.executionName : undefined;
  if (typeof name !== "string") return "not here";
  let owner: string | undefined;
  try {
    owner = await claimedId(storeDir, name);
  } catch (error) {
    return new Error(`The claim of execution name "${name}" in ${storeDir} is unreadable: ${String(error)}`, { cause: error });
  }
  if (owner !== executionId) {
    await fs.rm(executionDir, { recursive: true, force: true });
    return "never";
  }
  await fs.mkdir(executionDir, { recursive: true });
  // Made empty if it is missing; the records are appended below.
  await (await fs.open(join(executionDir, "log"), "a")).close();
  return "claimed";
}

/** Appends the records that continue the log (see applyToExecution). */
async function appendToExecution(logPath: string, lockPath: string, records: WalRecord[], deadOwners: Set<string>): Promise<number | Error> {
  let lock: FileLock | undefined;
  for (let attempt = 0; attempt < 2 && !lock; attempt++) {
    const got = await tryAcquireFileLock(lockPath).catch((error: unknown) => {
      if (isErrno(error, "ENOENT")) return undefined; // the execution was removed
      throw error;
    });
    if (got === undefined) return 0;
    if ("release" in got) lock = got;
    else if (got.stale && got.owner && deadOwners.has(ownerKey(got.owner))) await breakStaleLock(lockPath, got.raw);
    else break;
  }
  if (!lock) {
    // Held by a live process (which took it after every dead writer let go of this execution, so
    // their records are in the log already, if only in the page cache), or left by a dead process
    // whose log is not part of this recovery (the next one handles it). Make the log durable so
    // the dead logs can go.
    await makeDurable(logPath);
    return 0;
  }
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(logPath, "r+");
    const data = await handle.readFile();
    let scan;
    try {
      scan = scanLogRecords(data, 0, logPath, 1);
    } catch (error) {
      if (error instanceof CorruptLogError) return error;
      throw error;
    }
    let lastSeq = scan.mutations.at(-1)?.seq ?? 0;
    if (scan.invalidTail) await handle.truncate(scan.validLength);
    const append: Buffer[] = [];
    for (const record of records) {
      if (record.seq <= lastSeq) continue; // there already (a kill -9 keeps the page cache)
      if (record.seq !== lastSeq + 1) {
        return new CorruptLogError(
          logPath,
          scan.validLength,
          `the log ends at seq ${lastSeq} but a dead writer's write-ahead log continues at seq ${record.seq}`,
        );
      }
      append.push(record.logLine);
      lastSeq++;
    }
    if (append.length > 0) {
      const bytes = Buffer.concat(append);
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, scan.validLength + written);
        written += bytesWritten;
      }
    }
    await handle.datasync();
    return append.length;
  } catch (error) {
    if (isErrno(error, "ENOENT")) return 0;
    throw error;
  } finally {
    await handle?.close().catch(() => undefined);
    await lock.release();
  }
}
