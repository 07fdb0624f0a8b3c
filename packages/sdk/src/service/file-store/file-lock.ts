// A cross-process lock file. Node has no portable flock, so the lock is a file created
// atomically with link() (fails with EEXIST when held) whose content names the holder. A holder
// that died (kill -9) is detected by PID liveness and its lock is broken; a live holder is never
// broken, however long it holds the lock.
//
// A waiter touches the lock file's times (utimes) now and then. That changes the file's ctime
// without changing its content, which a holder that keeps its lock between writes checks cheaply
// (one stat) to learn that someone is waiting and hand the lock over. A waiter may also touch a
// file shared by many locks (nudgeAlso), so that a holder of hundreds of them stats that one
// file and looks at its lock files only when it changed.
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { promises as fs } from "node:fs";
import { hostname } from "node:os";
import { StoreLockTimeoutError } from "../errors.js";
import { isErrno } from "./errno.js";
import { writeNewFile } from "./new-file.js";

/** Who holds a lock, as written in the lock file. */
export interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
}

/** Nonces of the locks this process holds, so a leftover lock with our own PID is seen as stale. */
const heldByThisProcess = new Set<string>();

export interface FileLockOptions {
  /** Give up (StoreLockTimeoutError) after waiting this long for a live holder (default 30 s). */
  timeoutMs?: number | undefined;
  /**
   * Runs before a stale lock (dead holder) is broken; the lock is broken only if it is still the
   * same stale lock afterwards. The file store recovers the dead holder's write-ahead log here.
   */
  beforeBreak?: (() => Promise<void>) | undefined;
  /**
   * A file touched too whenever the holder is nudged (made if missing): one file for many locks,
   * which their holder watches instead of each lock file.
   */
  nudgeAlso?: string | undefined;
}

/** A held lock. */
export interface FileLock {
  readonly path: string;
  /** The lock file's content (names this holder). */
  readonly content: string;
  /** Whether taking it meant waiting for another holder or breaking a dead one's lock. */
  readonly contended: boolean;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
  /** The same, synchronously (for a process 'exit' hook). */
  releaseSync(): void;
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    return JSON.parse(raw) as LockOwner;
  } catch {
    return undefined;
  }
}

/** What a lock file says now: its raw content, the owner it names and whether that owner is gone. */
export interface LockState {
  raw: string;
  owner: LockOwner | undefined;
  stale: boolean;
}

/** Reads the lock at `path`; undefined when nobody holds it. */
export async function readLockState(path: string): Promise<LockState | undefined> {
  try {
    const raw = await fs.readFile(path, "utf8");
    const owner = parseOwner(raw);
    return { raw, owner, stale: isStale(owner) };
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return !isErrno(error, "ESRCH");
  }
}

/** Whether the process named by a lock file is gone (or the content is damage). */
export function isStale(owner: LockOwner | undefined): boolean {
  // Content is written before the lock file appears (link), so unreadable content is damage.
  if (!owner || typeof owner.pid !== "number") return true;
  if (owner.host !== hostname()) return false; // cannot check another machine's processes
  if (owner.pid === process.pid) return !heldByThisProcess.has(owner.nonce);
  return !isProcessAlive(owner.pid);
}

/**
 * Removes a stale lock without ever removing a live one: rename it aside, check the moved file is
 * the one judged stale, and put it back if another process had replaced it meanwhile.
 */
export async function breakStaleLock(path: string, staleContent: string): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString("hex")}`;
  try {
    await fs.rename(path, aside);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return; // someone else broke or released it
    throw error;
  }
  const moved = await fs.readFile(aside, "utf8").catch(() => undefined);
  if (moved !== staleContent) {
    await fs.link(aside, path).catch(() => undefined);
  }
  await fs.unlink(aside).catch(() => undefined);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A new owner, and the lock file's content: `fields` first when given, then the owner's. */
function newOwner(fields?: Readonly<Record<string, string>>): { owner: LockOwner; content: string } {
  const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString("hex") };
  return { owner, content: JSON.stringify(fields === undefined ? owner : { ...fields, ...owner }) };
}

function heldLock(path: string, owner: LockOwner, content: string, contended: boolean): FileLock {
  heldByThisProcess.add(owner.nonce);
  const releaseSync = (): void => {
    try {
      if (readFileSync(path, "utf8") === content) unlinkSync(path);
    } catch {
      // already gone
    }
    heldByThisProcess.delete(owner.nonce);
  };
  return {
    path,
    content,
    contended,
    // Synchronous underneath, as taking a free lock is (see takeFreeLockSync).
    release: async () => releaseSync(),
    releaseSync,
  };
}

/**
 * Takes the lock of a directory this process has just made and that no other process can reach
 * yet (the file store's new execution, before its name is claimed). The lock file is written in
 * place: the temporary file and link() that make a lock appear whole to its readers are not
 * needed while nobody can look for it.
 *
 * `fields`: more to write into the file beside its owner; the file is then fsynced before this
 * resolves, so that it can be linked elsewhere as a durable record of its own (the file store
 * links a new execution's lock file into names/ as its name claim). Releasing the lock removes
 * only the entry at `path`.
 */
export async function lockUnpublished(path: string, fields?: Readonly<Record<string, string>>): Promise<FileLock> {
  const { owner, content } = newOwner(fields);
  await writeNewFile(path, content, fields !== undefined);
  return heldLock(path, owner, content, false);
}

/**
 * Takes the lock at `path` if it is free, synchronously: the common case costs three metadata
 * calls on a local disk, less than three round trips through the thread pool. Undefined when
 * somebody holds it.
 */
function takeFreeLockSync(path: string): FileLock | undefined {
  const { owner, content } = newOwner();
  const temp = `${path}.${owner.nonce}.tmp`;
  writeFileSync(temp, content);
  try {
    linkSync(temp, path);
    return heldLock(path, owner, content, false);
  } catch (error) {
    if (isErrno(error, "EEXIST")) return undefined;
    throw error;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
}

/** Makes the lock file at `path` appear with `content`; false when somebody holds it. */
async function tryLink(path: string, temp: string): Promise<boolean> {
  try {
    await fs.link(temp, path);
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    throw error;
  }
}

/**
 * One attempt: the lock when it is free, otherwise what the lock file says (without waiting and
 * without breaking a stale lock).
 */
export async function tryAcquireFileLock(path: string): Promise<FileLock | LockState> {
  const { owner, content } = newOwner();
  const temp = `${path}.${owner.nonce}.tmp`;
  await fs.writeFile(temp, content);
  try {
    for (;;) {
      if (await tryLink(path, temp)) return heldLock(path, owner, content, false);
      const current = await readLockState(path);
      if (current) return current;
    }
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

/** Tells a holder that keeps its lock between writes that someone waits (see the header). */
async function nudgeHolder(path: string, also: string | undefined): Promise<void> {
  const now = new Date();
  await fs.utimes(path, now, now).catch(() => undefined);
  if (also === undefined) return;
  // The lock file first: a holder that sees the shared file change then finds its lock changed.
  await fs.utimes(also, now, now).catch(async (error: unknown) => {
    if (isErrno(error, "ENOENT")) await fs.writeFile(also, "", { flag: "a" }).catch(() => undefined);
  });
}

/** Acquires the lock at `path`. */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<FileLock> {
  const free = takeFreeLockSync(path);
  if (free) return free;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { owner, content } = newOwner();
  const temp = `${path}.${owner.nonce}.tmp`;
  await fs.writeFile(temp, content);
  const started = Date.now();
  let delay = 1;
  let nudgedAt = -Infinity;
  let contended = true; // it was held a moment ago
  try {
    for (;;) {
      if (await tryLink(path, temp)) return heldLock(path, owner, content, contended);
      contended = true;
      let current = await readLockState(path);
      if (current?.stale) {
        if (options.beforeBreak) {
          await options.beforeBreak();
          const after = await readLockState(path);
          if (after?.raw !== current.raw) continue; // released or replaced meanwhile: look again
          current = after;
        }
        await breakStaleLock(path, current.raw);
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        throw new StoreLockTimeoutError(path, current ? current.raw : "an unknown process");
      }
      if (current && Date.now() - nudgedAt >= 20) {
        nudgedAt = Date.now();
        await nudgeHolder(path, options.nudgeAlso);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 20);
    }
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

/** Identity of a lock file or a nudge file: changes when it is replaced, rewritten or nudged by a waiter. */
export interface LockStamp {
  ino: number;
  /** Milliseconds with a fraction: a double keeps sub-microsecond resolution for current dates. */
  ctimeMs: number;
}

/** The lock file's current stamp; undefined when it is gone. */
export function lockStamp(path: string): LockStamp | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats === undefined ? undefined : { ino: stats.ino, ctimeMs: stats.ctimeMs };
}

/** Whether the lock file still holds `content` (read synchronously: the holder checks between writes). */
export function lockStillNames(path: string, content: string): boolean {
  try {
    return readFileSync(path, "utf8") === content;
  } catch {
    return false;
  }
}
