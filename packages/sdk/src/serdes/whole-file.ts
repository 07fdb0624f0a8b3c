// Files written beside the checkpoints that point at them (a file-system serdes' values, a
// distributed map's failed items and progress): whoever reads one, now or after a power loss,
// must find the old file or the whole new one, and a write that returned must stay written.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** The filesystem calls writeFileWhole makes (node:fs/promises; a test records them). */
export type WholeFileSystem = Pick<typeof fs, "mkdir" | "writeFile" | "rename" | "rm" | "open">;

/**
 * Writes `contents` to `file` under a temporary name, flushed to disk, then renames it into place
 * and syncs the directories whose entries changed (the file's, and any that had to be created),
 * so the file survives a power loss once this resolves. On failure the temporary file is removed
 * and `file` is left as it was.
 */
export async function writeFileWhole(file: string, contents: string, fsys: WholeFileSystem = fs): Promise<void> {
  const directory = dirname(file);
  const created = await fsys.mkdir(directory, { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await fsys.writeFile(temporary, contents, { encoding: "utf8", flush: true });
    await fsys.rename(temporary, file);
  } catch (error) {
    await fsys.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  for (const dir of changedDirectories(directory, created)) await syncDirectoryEntries(dir, fsys);
}

/**
 * `directory`, and when mkdir made directories on the way (`created`, the first it made), every
 * one from the parent of that first one down: each holds the entry of the next.
 */
export function changedDirectories(directory: string, created: string | undefined): string[] {
  if (created === undefined) return [directory];
  const parent = dirname(created);
  const dirs = [parent];
  let path = parent;
  for (const part of relative(parent, directory).split(sep)) {
    if (part === "") continue;
    path = join(path, part);
    dirs.push(path);
  }
  return dirs;
}

/** fsync of a directory: its entries (a created or renamed file) survive a power loss. */
export async function syncDirectoryEntries(directory: string, fsys: Pick<typeof fs, "open"> = fs): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fsys.open(directory, "r");
  } catch (error) {
    // Windows opens no directory for syncing; there a rename is as durable as it gets.
    if (process.platform === "win32") return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
