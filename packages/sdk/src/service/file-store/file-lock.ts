// A cross-process lock file. Node has no portable flock, so the lock is a file created
// atomically with link() (fails with EEXIST when held) whose content names the holder. A holder
// that died (kill -9) is detected by PID liveness and its lock is broken; a live holder is never
// broken, however long it holds the lock.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { hostname } from "node:os";
import { StoreLockTimeoutError } from "../errors.js";

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
}

/** Nonces of the locks this process holds, so a leftover lock with our own PID is seen as stale. */
const heldByThisProcess = new Set<string>();

export interface FileLockOptions {
  /** Give up (StoreLockTimeoutError) after waiting this long for a live holder (default 30 s). */
  timeoutMs?: number | undefined;
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? "");
}

async function readOwner(path: string): Promise<{ raw: string; owner: LockOwner | undefined } | undefined> {
  try {
    const raw = await fs.readFile(path, "utf8");
    try {
      return { raw, owner: JSON.parse(raw) as LockOwner };
    } catch {
      return { raw, owner: undefined };
    }
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

function isStale(owner: LockOwner | undefined): boolean {
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
async function breakStaleLock(path: string, staleContent: string): Promise<void> {
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

/** Acquires the lock at `path`; resolves to a function that releases it. */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString("hex") };
  const content = JSON.stringify(owner);
  const temp = `${path}.${owner.nonce}.tmp`;
  await fs.writeFile(temp, content);
  const started = Date.now();
  let delay = 1;
  try {
    for (;;) {
      try {
        await fs.link(temp, path);
        heldByThisProcess.add(owner.nonce);
        break;
      } catch (error) {
        if (!isErrno(error, "EEXIST")) throw error;
      }
      const current = await readOwner(path);
      if (current && isStale(current.owner)) {
        await breakStaleLock(path, current.raw);
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        throw new StoreLockTimeoutError(path, current ? current.raw : "an unknown process");
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 20);
    }
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
  return async () => {
    const current = await readOwner(path);
    if (current?.raw === content) await fs.unlink(path).catch(() => undefined);
    heldByThisProcess.delete(owner.nonce);
  };
}
