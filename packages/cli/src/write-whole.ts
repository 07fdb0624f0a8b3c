import { renameSync, rmSync, writeFileSync } from "node:fs";

/**
 * Writes `data` to `path` whole or not at all: into a temporary file beside it, flushed to the
 * disk, then renamed over it. A reader (or a crash) sees the old file or the new one, never part
 * of one, nor an empty file left by a rename that reached the disk before the data did. A failed
 * write leaves no temporary file behind. The synchronous counterpart of the SDK's own
 * writeFileWhole (serdes/whole-file.ts, asynchronous and not exported): the sidecar is written
 * inside a synchronous callback. Unlike that one it does not sync the directory after the rename:
 * a power loss may cost the newest of these files (an export, a view, a sidecar, whose absence
 * the CLI handles), never an execution's checkpoints, which the file store writes.
 */
export function writeFileWhole(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { flush: true });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
