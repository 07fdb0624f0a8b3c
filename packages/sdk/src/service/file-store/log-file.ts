// An open execution log shared by the two parties that need its descriptor: the execution's
// holder (which appends and reads) and the write-ahead log (which must fdatasync it before it may
// drop the records it covers). The descriptor is closed when both have let go, so neither can use
// a closed — or worse, reused — descriptor number.
import { close, closeSync, constants, fdatasync, fdatasyncSync, open, writeSync } from "node:fs";
import { promisify } from "node:util";

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);

export class LogFile {
  #refs = 1;
  private constructor(
    readonly path: string,
    readonly fd: number,
  ) {}

  /** Creates `path` (which must not exist) for reading and appending; the caller holds the first reference. */
  static async create(path: string): Promise<LogFile> {
    return new LogFile(path, await openAsync(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL));
  }

  /** Opens `path` (which must exist) for reading and appending; the caller holds the first reference. */
  static async open(path: string): Promise<LogFile> {
    return new LogFile(path, await openAsync(path, constants.O_RDWR | constants.O_APPEND));
  }

  get closed(): boolean {
    return this.#refs === 0;
  }

  retain(): void {
    if (this.#refs === 0) throw new Error(`${this.path} is closed`);
    this.#refs++;
  }

  /** Drops one reference; the last one closes the descriptor. */
  async unref(): Promise<void> {
    if (--this.#refs === 0) await closeAsync(this.fd).catch(() => undefined);
  }

  /** For the process 'exit' hook only. */
  unrefSync(): void {
    if (--this.#refs === 0) {
      try {
        closeSync(this.fd);
      } catch {
        // nothing left to do at exit
      }
    }
  }

  /**
   * Appends `bytes` (O_APPEND: at the end of the file). Synchronous on purpose: it only copies a
   * record into the page cache, which costs less than a round trip through the thread pool.
   */
  appendSync(bytes: Buffer): void {
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
  }

  async datasync(): Promise<void> {
    await fdatasyncAsync(this.fd);
  }

  datasyncSync(): void {
    fdatasyncSync(this.fd);
  }
}
