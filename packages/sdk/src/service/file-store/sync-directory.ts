// fsync of a directory, so that entries created or linked in it survive a power loss. Calls for
// one directory share syncs: a call waits for the next sync that starts after it (one already
// under way may have missed its entry), so any number of executions created at the same moment
// cost one sync of the shared `executions` and `names` directories.
import { closeSync, fsync, fsyncSync, openSync } from "node:fs";
import { promisify } from "node:util";

const fsyncAsync = promisify(fsync);

interface DirectorySync {
  running: boolean;
  waiting: (() => void)[];
}

const syncs = new Map<string, DirectorySync>();

/**
 * Opening and closing a directory allocate nothing and cost less on the main thread than a round
 * trip each through the thread pool; only the fsync, which waits for the disk, goes there.
 */
async function syncOnce(path: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    await fsyncAsync(fd);
  } catch {
    // Windows cannot fsync directories; the entry is still written.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // the descriptor is gone either way
  }
}

async function drain(path: string, state: DirectorySync): Promise<void> {
  state.running = true;
  while (state.waiting.length > 0) {
    const served = state.waiting;
    state.waiting = [];
    await syncOnce(path);
    for (const resolve of served) resolve();
  }
  state.running = false;
  syncs.delete(path);
}

/** Makes a directory entry (a created or linked file) durable; a no-op where dirs can't be fsynced. */
export function syncDirectory(path: string): Promise<void> {
  return new Promise<void>((resolve) => {
    let state = syncs.get(path);
    if (!state) {
      state = { running: false, waiting: [] };
      syncs.set(path, state);
    }
    state.waiting.push(resolve);
    if (!state.running) void drain(path, state);
  });
}

/**
 * The same, synchronously and unshared (for a process 'exit' hook); a directory removed since
 * (its execution deleted) is skipped like one that can't be fsynced.
 */
export function syncDirectorySync(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    fsyncSync(fd);
  } catch {
    // removed since, or a platform without directory fsync
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
