// A small file created with its content and made durable before anyone may rely on it (the file
// store's name claim, which is linked into names/ only once it is on the disk).
import { closeSync, fsync, open } from "node:fs";
import { promisify } from "node:util";
import { writeAllSync } from "./write-all.js";

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);

/**
 * Creates `path` (which must not exist) holding `content` and fsyncs it; rejects with EEXIST when
 * it exists. The open (which creates the file) and the fsync (which waits for the disk) go through
 * the thread pool; writing a few bytes to the page cache and closing cost less on the main thread
 * than a round trip each.
 */
export async function writeNewFileDurably(path: string, content: string): Promise<void> {
  const fd = await openAsync(path, "wx");
  try {
    writeAllSync(fd, [Buffer.from(content, "utf8")]);
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}
