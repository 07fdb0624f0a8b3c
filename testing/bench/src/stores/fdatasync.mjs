// The floor under one durable commit on this machine: appending a small record to a file and
// making it durable with fdatasync. Measured in the directory the file store uses, so both
// figures come from the same disk and filesystem.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { now } from "../clock.mjs";
import { median, percentile } from "./stats.mjs";

/** A 128-byte record, about the size of a small checkpoint line. */
const RECORD = Buffer.from(`${"x".repeat(127)}\n`);

/**
 * Appends `count` records to a fresh file in `directory`, each followed by fdatasync, and returns
 * the median and 90th percentile in milliseconds: `sync` is the bare system calls (write +
 * fdatasync, the disk's own latency), `async` the same through Node's thread pool
 * (FileHandle.write + FileHandle.datasync), which is how the file store issues them.
 *
 * Appending grows the file, so each fdatasync also commits the new size, as a log append must.
 */
export async function measureFdatasync(directory, count = 200) {
  const dir = mkdtempSync(join(directory, "cairn-fdatasync-"));
  try {
    const sync = [];
    const fd = openSync(join(dir, "sync.log"), "a");
    try {
      for (let i = 0; i < count + 5; i++) {
        const start = now();
        writeSync(fd, RECORD);
        fdatasyncSync(fd);
        if (i >= 5) sync.push(now() - start); // the first few allocate the file's first blocks
      }
    } finally {
      closeSync(fd);
    }
    const async = [];
    const handle = await open(join(dir, "async.log"), "a");
    try {
      for (let i = 0; i < count + 5; i++) {
        const start = now();
        await handle.write(RECORD);
        await handle.datasync();
        if (i >= 5) async.push(now() - start);
      }
    } finally {
      await handle.close();
    }
    return {
      count,
      syncMs: median(sync),
      syncP90Ms: percentile(sync, 0.9),
      asyncMs: median(async),
      asyncP90Ms: percentile(async, 0.9),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
