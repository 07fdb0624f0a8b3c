// Group commit for one FileExecutionStore instance: a write-ahead log of its own,
//   <dir>/wal/<writer>.lock        names this process while the log exists (a dead one is recovered)
//   <dir>/wal/<writer>.<n>.wal     segments of records (wal-format.ts)
// A commit is queued; one writer loop takes everything queued while the previous fdatasync ran,
// writes it with ONE write and makes it durable with ONE fdatasync, then appends each record to its
// execution's log (page cache only) and acknowledges. Executions committing at the same moment
// therefore share an fdatasync; the execution logs are made durable lazily, when a segment is
// checkpointed (full, or the store went idle): fdatasync every log written since, then delete the
// segment. See docs/cli-and-file-store.md for why that is safe.
import { randomBytes } from "node:crypto";
import { close, fdatasync, fdatasyncSync, promises as fs, open, unlinkSync, writeSync, writevSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { acquireFileLock, type FileLock } from "./file-lock.js";
import { offExit, onExit, type ExitCleanup } from "./exit-cleanup.js";
import type { LogFile } from "./log-file.js";
import { syncDirectory } from "./sync-directory.js";
import { walRecordPrefix } from "./wal-format.js";

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);

/** Counters for tests and benchmarks. */
export interface WalStats {
  /** Records made durable. */
  commits: number;
  /** fdatasync calls on the write-ahead log (one per group of commits). */
  walSyncs: number;
  /** fdatasync calls on execution logs at checkpoints. */
  logSyncs: number;
  /** Segments checkpointed and deleted. */
  checkpoints: number;
}

export interface WriteAheadLogOptions {
  /** Start a new segment once the current one is this large. */
  segmentBytes: number;
  /** Checkpoint and remove the log after this long without commits. */
  idleMs: number;
}

interface Pending {
  /** What precedes logLine in the write-ahead log. */
  prefix: Buffer;
  logLine: Buffer;
  log: LogFile;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Segment {
  fd: number;
  path: string;
  size: number;
}

interface Checkpoint {
  segment: Segment;
  logs: LogFile[];
}

/** Most buffers one writev takes (IOV_MAX is 1024 on Linux). */
const IOV_MAX = 1024;

/** Writes `buffers` in order with as few system calls as possible; returns the bytes written. */
function writeAllSync(fd: number, buffers: Buffer[]): number {
  let total = 0;
  for (let start = 0; start < buffers.length; start += IOV_MAX) {
    const chunk = buffers.slice(start, start + IOV_MAX);
    const length = chunk.reduce((sum, b) => sum + b.length, 0);
    let written = writevSync(fd, chunk);
    if (written < length) {
      const rest = Buffer.concat(chunk, length);
      while (written < length) written += writeSync(fd, rest, written, length - written);
    }
    total += length;
  }
  return total;
}

/** The error every write gets once the log failed: its outcome, and all later ones, are unknown. */
export class WriteAheadLogFailedError extends Error {
  override readonly name = "WriteAheadLogFailedError";
  constructor(directory: string, cause: unknown) {
    super(
      `The file store's write-ahead log in ${directory} failed (${String(cause)}); this store instance accepts ` +
        "no more writes and keeps its locks. Restart the process: the next one recovers the log.",
      { cause },
    );
  }
}

export class WriteAheadLog implements ExitCleanup {
  readonly stats: WalStats = { commits: 0, walSyncs: 0, logSyncs: 0, checkpoints: 0 };
  /** Set once an I/O error made the outcome of a write unknown; nothing is written after it. */
  failure: WriteAheadLogFailedError | undefined;
  #queue: Pending[] = [];
  #running = false;
  #lock: FileLock | undefined;
  #writerId = "";
  #segmentNumber = 0;
  #segment: Segment | undefined;
  /** Logs appended to since the current segment began (each retained until it is synced). */
  #dirty = new Set<LogFile>();
  #checkpointing = new Set<Checkpoint>();
  #checkpoints: Promise<void> = Promise.resolve();
  #idleTimer: NodeJS.Timeout | undefined;
  /** Size of the previous group. */
  #lastBatch = 0;

  constructor(
    /** `<store>/wal`. */
    readonly directory: string,
    private readonly options: WriteAheadLogOptions,
  ) {}

  /** Whether a write is under way (its records may be in the log but not yet in execution logs). */
  get busy(): boolean {
    return this.#running || this.#queue.length > 0;
  }

  /**
   * Makes `logLine` (an encoded record of `executionId`) durable, then appends it to `log`.
   * Resolves once both are done.
   */
  commit(executionId: string, logLine: Buffer, log: LogFile): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const prefix = walRecordPrefix(executionId, logLine);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ prefix, logLine, log, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        if (this.#idleTimer) clearTimeout(this.#idleTimer);
        // Start after the current task, so commits issued together go out together.
        setImmediate(() => void this.#run());
      }
    });
  }

  async #run(): Promise<void> {
    let batch: Pending[] = [];
    try {
      while (this.#queue.length > 0) {
        batch = this.#queue;
        this.#queue = [];
        const segment = this.#segment ?? (await this.#openSegment());
        segment.size += writeAllSync(
          segment.fd,
          batch.flatMap((p) => [p.prefix, p.logLine]),
        );
        if (batch.length === 1 && this.#lastBatch === 1) {
          // Commits arrive one at a time (one busy execution): nobody else has work to do while
          // the disk syncs, so skip the round trip through the thread pool.
          fdatasyncSync(segment.fd);
        } else {
          await fdatasyncAsync(segment.fd);
        }
        this.#lastBatch = batch.length;
        this.stats.walSyncs++;
        this.stats.commits += batch.length;
        for (const pending of batch) {
          pending.log.appendSync(pending.logLine);
          if (!this.#dirty.has(pending.log)) {
            pending.log.retain();
            this.#dirty.add(pending.log);
          }
        }
        for (const pending of batch) pending.resolve();
        batch = [];
        if (segment.size >= this.options.segmentBytes) this.#checkpoint(false);
      }
    } catch (error) {
      this.#fail(error, batch);
    } finally {
      this.#running = false;
    }
    if (!this.failure && this.#segment) {
      this.#idleTimer = setTimeout(() => {
        if (!this.busy && !this.failure && this.#segment) this.#checkpoint(true);
      }, this.options.idleMs);
      this.#idleTimer.unref();
    }
  }

  #fail(error: unknown, batch: Pending[]): void {
    this.failure ??= new WriteAheadLogFailedError(this.directory, error);
    for (const pending of [...batch, ...this.#queue]) pending.reject(this.failure);
    this.#queue = [];
    // Keep the lock and the segments: whatever reached them is applied by the recovery that
    // runs once this process is gone; until then nobody may write over it.
    offExit(this);
  }

  async #openSegment(): Promise<Segment> {
    if (!this.#lock) {
      const created = await fs.mkdir(this.directory, { recursive: true });
      if (created !== undefined) await syncDirectory(dirname(this.directory));
      this.#writerId = randomBytes(8).toString("hex");
      this.#segmentNumber = 0;
      this.#lock = await acquireFileLock(join(this.directory, `${this.#writerId}.lock`));
      onExit(this);
    }
    const path = join(this.directory, `${this.#writerId}.${++this.#segmentNumber}.wal`);
    const fd = await openAsync(path, "wx");
    // The segment's directory entry must survive a power loss as surely as its records.
    await syncDirectory(this.directory);
    this.#segment = { fd, path, size: 0 };
    return this.#segment;
  }

  /**
   * Closes the current segment and, in the background, makes every log written since durable and
   * deletes the segment. `idle`: also drop the lock if nothing was written meanwhile.
   */
  #checkpoint(idle: boolean): void {
    const segment = this.#segment;
    if (!segment) return;
    this.#segment = undefined;
    const checkpoint: Checkpoint = { segment, logs: [...this.#dirty] };
    this.#dirty.clear();
    this.#checkpointing.add(checkpoint);
    this.#checkpoints = this.#checkpoints.then(async () => {
      try {
        await Promise.all(checkpoint.logs.map((log) => log.datasync()));
        this.stats.logSyncs += checkpoint.logs.length;
        await closeAsync(segment.fd).catch(() => undefined);
        await fs.unlink(segment.path).catch(() => undefined);
        this.stats.checkpoints++;
      } catch (error) {
        this.#fail(error, []);
        return;
      } finally {
        this.#checkpointing.delete(checkpoint);
      }
      await Promise.all(checkpoint.logs.map((log) => log.unref()));
      if (idle && !this.busy && !this.#segment && this.#checkpointing.size === 0 && this.#lock) {
        const lock = this.#lock;
        this.#lock = undefined;
        offExit(this);
        await lock.release();
      }
    });
  }

  /** Waits for background checkpoints (tests). */
  async settled(): Promise<void> {
    await this.#checkpoints;
  }

  /** At process exit: checkpoint synchronously, unless a write is under way or the log failed. */
  closeSync(): void {
    if (this.failure || this.#running) return;
    const segments = [...this.#checkpointing].map((c) => c.segment);
    const logs = new Set([...this.#dirty, ...[...this.#checkpointing].flatMap((c) => c.logs)]);
    if (this.#segment) segments.push(this.#segment);
    for (const log of logs) fdatasyncSync(log.fd);
    for (const segment of segments) {
      try {
        unlinkSync(segment.path);
      } catch {
        // already gone
      }
    }
    this.#lock?.releaseSync();
  }
}
