import { promises as fs } from "node:fs";

/** Makes a directory entry (a created or linked file) durable; a no-op where dirs can't be fsynced. */
export async function syncDirectory(path: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path, "r");
    await handle.sync();
  } catch {
    // Windows cannot fsync directories; the entry is still written.
  } finally {
    await handle?.close();
  }
}
