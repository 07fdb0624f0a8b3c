// fsync of a directory, so that entries created or linked in it survive a power loss. Calls for
// one directory share syncs: a call waits for the next sync that starts after it (one already
// under way may have missed its entry), so any number of executions created at the same moment
// cost one sync of the shared `executions` and `names` directories.
import { closeSync, fsyncSync, openSync, promises as fs } from "node:fs";

interface DirectorySync {
  running: boolean;
  waiting: (() => void)[];
}

const syncs = new Map<string, DirectorySync>();

async function syncOnce(path: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path, "r");
    await handle.sync();
  } catch {
    // Windows cannot fsync directories; the entry is still written.
  } finally {
    await handle?.close().catch(() => undefined);
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
