// Small files created with their content: the file store's lock of a new execution. It is also
// the execution's name claim, so it must be on the disk before it is linked into names/.
import { closeSync, fsync, open } from "node:fs";
import { promisify } from "node:util";
import { writeAllSync } from "./write-all.js";

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);

/**
 * Creates `path` (which must not exist) holding `content`; rejects with EEXIST when it exists.
 * `durable`: fsync it before resolving. The open (which creates the file) and the fsync (which
 * waits for the disk) go through the thread pool; writing a few bytes to the page cache and
 * closing cost less on the main thread than a round trip each.
 */
export async function writeNewFile(path: string, content: string, durable = false): Promise<void> {
  const fd = await openAsync(path, "wx");
  try {
    writeAllSync(fd, [Buffer.from(content, "utf8")]);
    if (durable) await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}
