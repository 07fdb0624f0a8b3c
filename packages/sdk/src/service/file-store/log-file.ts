// An open execution log shared by the two parties that need its descriptor: the execution's
// holder (which appends and reads) and the write-ahead log (which must fdatasync it before it may
// drop the records it covers). The descriptor is closed when both have let go, so neither can use
// a closed — or worse, reused — descriptor number.
//
// Records are appended in batches: a record durable in the write-ahead log is queued here and
// written with the others queued for the same log (one writev) when the write-ahead log flushes
// its logs, before anything in this process reads the file, and before the descriptor closes.
import { close, closeSync, constants, fdatasync, fdatasyncSync, open, openSync } from "node:fs";
import { promisify } from "node:util";
import { writeAllSync } from "./write-all.js";

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);

/** Logs of this process with queued records, by path: a reader of the file flushes them first. */
const queuedByPath = new Map<string, Set<LogFile>>();

export class LogFile {
  #refs = 1;
  /** Records queued for appending, oldest first. */
  #queued: Buffer[] = [];
  #queuedBytes = 0;
  /** Appends made (one writev each, of every record queued then); for tests. */
  appends = 0;
  /** Set when an append failed: the file may end in part of a record, so nothing more is appended. */
  #failure: unknown;
  private constructor(
    readonly path: string,
    readonly fd: number,
  ) {}

  /**
   * Appends what this process queued for the log at `path` (in any store instance), so that a
   * read of the file sees every acknowledged record. Throws if a write fails.
   */
  static flushPath(path: string): void {
    const logs = queuedByPath.get(path);
    if (logs) for (const log of [...logs]) log.flushSync();
  }

  /** Creates `path` (which must not exist) for reading and appending; the caller holds the first reference. */
  static async create(path: string): Promise<LogFile> {
    return new LogFile(path, await openAsync(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL));
  }

  /** Opens `path` (which must exist) for reading and appending; the caller holds the first reference. */
  static async open(path: string): Promise<LogFile> {
    return new LogFile(path, await openAsync(path, constants.O_RDWR | constants.O_APPEND));
  }

  /** As {@link open}, synchronously (an open on a local disk costs less than a thread-pool round trip). */
  static openSync(path: string): LogFile {
    return new LogFile(path, openSync(path, constants.O_RDWR | constants.O_APPEND));
  }

  get closed(): boolean {
    return this.#refs === 0;
  }

  retain(): void {
    if (this.#refs === 0) throw new Error(`${this.path} is closed`);
    this.#refs++;
  }

  /**
   * Drops one reference; the last one appends what is still queued and closes the descriptor.
   * Those who let go (the holder, the write-ahead log's checkpoint) append first and fail on an
   * error; here a failed append is left as it is: the records are still in the write-ahead log.
   */
  async unref(): Promise<void> {
    if (this.#refs === 1) this.#flushQuietly();
    if (--this.#refs === 0) await closeAsync(this.fd).catch(() => undefined);
  }

  /** For the process 'exit' hook only. */
  unrefSync(): void {
    if (this.#refs === 1) this.#flushQuietly();
    if (--this.#refs === 0) {
      try {
        closeSync(this.fd);
      } catch {
        // nothing left to do at exit
      }
    }
  }

  #flushQuietly(): void {
    try {
      this.flushSync();
    } catch {
      // see unref
    }
  }

  /** Bytes queued and not yet appended. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Queues `bytes` (a whole record) to be appended by the next {@link flushSync}. */
  queue(bytes: Buffer): void {
    if (this.#refs === 0) throw new Error(`${this.path} is closed`);
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#queued.length === 0) {
      let logs = queuedByPath.get(this.path);
      if (!logs) queuedByPath.set(this.path, (logs = new Set()));
      logs.add(this);
    }
    this.#queued.push(bytes);
    this.#queuedBytes += bytes.length;
  }

  /**
   * Appends the queued records (O_APPEND: at the end of the file) with one writev. Synchronous on
   * purpose: it only copies records into the page cache, which costs less than a round trip
   * through the thread pool. If a write fails it throws, then and on every later call: what part
   * reached the file is a torn tail, and the records are still in the write-ahead log.
   */
  flushSync(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#queued.length === 0) return;
    try {
      writeAllSync(this.fd, this.#queued);
      this.appends++;
    } catch (error) {
      this.#failure = error;
      throw error;
    }
    this.#queued = [];
    this.#queuedBytes = 0;
    const logs = queuedByPath.get(this.path);
    logs?.delete(this);
    if (logs?.size === 0) queuedByPath.delete(this.path);
  }

  async datasync(): Promise<void> {
    await fdatasyncAsync(this.fd);
  }

  datasyncSync(): void {
    fdatasyncSync(this.fd);
  }
}
