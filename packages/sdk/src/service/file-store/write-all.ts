// Writing a list of buffers to a descriptor with as few system calls as possible.
import { writeSync, writevSync } from "node:fs";

/** Most buffers one writev takes (IOV_MAX is 1024 on Linux). */
const IOV_MAX = 1024;

/** Writes `buffers` in order (at the descriptor's position, or its end with O_APPEND); returns the bytes written. */
export function writeAllSync(fd: number, buffers: readonly Buffer[]): number {
  let total = 0;
  for (let start = 0; start < buffers.length; start += IOV_MAX) {
    const chunk = buffers.slice(start, start + IOV_MAX);
    const length = chunk.reduce((sum, b) => sum + b.length, 0);
    let written = chunk.length === 1 ? writeSync(fd, chunk[0]!) : writevSync(fd, chunk);
    if (written < length) {
      const rest = Buffer.concat(chunk, length);
      while (written < length) written += writeSync(fd, rest, written, length - written);
    }
    total += length;
  }
  return total;
}
