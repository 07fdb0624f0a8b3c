// Group commit for one FileExecutionStore instance: a write-ahead log of its own,
//   <dir>/wal/<writer>.lock        names this process while the log exists (a dead one is recovered)
//   <dir>/wal/<writer>.<n>.wal     segments of records (wal-format.ts)
// A commit is queued; one writer loop takes everything queued while the previous fdatasync ran,
// writes it with ONE write and makes it durable with ONE fdatasync, then acknowledges it and
// queues it for its execution's log (appended, page cache only, within FLUSH_MS; log-file.ts).
// Executions committing at the same moment therefore share an fdatasync; the execution logs are
// made durable lazily, when a segment is checkpointed (full, or the store went idle): append what
// is queued, fdatasync every log written since, then delete the segment. A commit that created its
// log (an execution's first record) also names the directories whose entries must be durable
// before the segment may go; they are fsynced at the checkpoint too.
// See docs/cli-and-file-store.md for why that is safe.
//
// Segments are written full of zeros ahead of their records, a megabyte at a time, and the zeros
// fsynced in the background: a group's fdatasync then finds the file's size unchanged and only
// flushes data, where an append that grows the file also commits its new size through the
// filesystem's journal (measured on ext4: 0.10 instead of 0.13 ms per sync, and about a tenth
// off a sequential step). To a reader the zeros after the last record are a torn tail, which was
// never acknowledged.
import { randomBytes } from "node:crypto";
import { close, fdatasync, fdatasyncSync, fsync, promises as fs, open, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { mapAtMost } from "../../types/at-most.js";
import { acquireFileLock, type FileLock } from "./file-lock.js";
import { offExit, onExit, type ExitCleanup } from "./exit-cleanup.js";
import type { LogFile } from "./log-file.js";
import { syncDirectory, syncDirectorySync } from "./sync-directory.js";
import { encodeWalRecord } from "./wal-format.js";
import { writeAllSync } from "./write-all.js";

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fdatasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);

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
  /** Directories fsynced at checkpoints (see directories in commitEncoded). */
  directorySyncs: number;
}

export interface WriteAheadLogOptions {
  /** Start a new segment once the current one is this large. */
  segmentBytes: number;
  /** Checkpoint and remove the log after this long without commits. */
  idleMs: number;
}

interface Pending {
  /** The record's whole write-ahead-log line. */
  walLine: Buffer;
  /** The line appended to the execution's log (the tail of walLine). */
  logLine: Buffer;
  log: LogFile;
  /** Directories to make durable before the segment holding this record may be deleted. */
  directories: readonly string[] | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Segment {
  fd: number;
  path: string;
  size: number;
  /** Groups written to it whose fdatasync has not completed. */
  inflight: number;
  /** No more groups go to it; checkpointed once `inflight` is 0. */
  closing: boolean;
  /** Logs appended to from it (each retained until it is synced). */
  dirty: Set<LogFile>;
  /** Directories its commits named (see commitEncoded). */
  directories: Set<string>;
  /** Bytes from the start already written with zeros or records. */
  allocated: number;
  /** The fsync making the last zeros durable is running. */
  preallocating: boolean;
}

/** Zeros written ahead of the records at a time. */
const PREALLOCATE_BYTES = 1024 * 1024;
/** More zeros are written once the records come this close to their end. */
const PREALLOCATE_AHEAD = 256 * 1024;
const ZEROS = Buffer.alloc(PREALLOCATE_BYTES);

/** A group written to a segment, waiting for an fdatasync to complete. */
interface Group {
  number: number;
  segment: Segment;
  commits: Pending[];
}

interface Checkpoint {
  segment: Segment;
  logs: LogFile[];
  directories: string[];
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

/**
 * Records durable in the write-ahead log are appended to their execution logs at most this long
 * after they were acknowledged (or at once when a store instance of this process reads or lets
 * go of the log), a log's records together: a busy execution's appends cost one writev per
 * interval instead of one write per record. Another process that reads the log without taking the
 * execution's lock (to list or inspect it) sees its last records up to this much later; one that
 * takes the lock gets it only after the holder appended everything.
 */
const FLUSH_MS = 20;
/** A log's queued records are appended at once when they reach this size. */
const FLUSH_BYTES = 64 * 1024;

/** Groups whose fdatasync may run at once: the next group is written while the previous syncs. */
const MAX_INFLIGHT = 2;

/**
 * Syncs a checkpoint runs at once. Commits need up to MAX_INFLIGHT threads of Node's pool (four by
 * default) for their fdatasyncs; a checkpoint that issued all of its syncs together made them wait
 * behind every one (measured with 100 executions at once: the slowest commit in a thousand took
 * 43 to 55 ms, and 16 to 23 ms two at a time).
 */
const CHECKPOINT_SYNCS = 2;

export class WriteAheadLog implements ExitCleanup {
  readonly stats: WalStats = { commits: 0, walSyncs: 0, logSyncs: 0, checkpoints: 0, directorySyncs: 0 };
  /** Set once an I/O error made the outcome of a write unknown; nothing is written after it. */
  failure: WriteAheadLogFailedError | undefined;
  #queue: Pending[] = [];
  /** Written groups, oldest first, until their fdatasync completes. */
  #inflight: Group[] = [];
  #groupNumber = 0;
  #pumpScheduled = false;
  #opening: Promise<void> | undefined;
  /**
   * The next segment, opened ahead once the current one is half full: a rotation then takes it
   * at once instead of holding every commit while a file is created and its directory synced
   * (measured: 3 to 25 ms, with the previous segment's checkpoint syncing beside it).
   */
  #next: Promise<Segment | undefined> | undefined;
  /** The same segment once it is open (for the exit hook, which cannot wait). */
  #nextOpen: Segment | undefined;
  #lock: FileLock | undefined;
  #writerId = "";
  #segmentNumber = 0;
  #segment: Segment | undefined;
  #checkpointing = new Set<Checkpoint>();
  #checkpoints: Promise<void> = Promise.resolve();
  #idleTimer: NodeJS.Timeout | undefined;
  /** Size of the previous group. */
  #lastGroup = 0;
  /** Commits acknowledged by the last completed fdatasync. */
  #lastAcked = 0;
  /** Execution logs with records queued (see the top of the file), and the timer that appends them. */
  #unflushed = new Set<LogFile>();
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(
    /** `<store>/wal`. */
    readonly directory: string,
    private readonly options: WriteAheadLogOptions,
  ) {}

  /** Whether a write is under way (its records may be in the log but not yet in execution logs). */
  get busy(): boolean {
    return this.#inflight.length > 0 || this.#queue.length > 0 || this.#opening !== undefined;
  }

  /**
   * Makes `logLine` (an encoded record of `executionId`) durable, then appends it to `log`.
   * Resolves once both are done. `alone`: the caller knows no other commit can join this one
   * (its store holds no other execution), so there is nothing to wait for before syncing.
   */
  commit(executionId: string, logLine: Buffer, log: LogFile, alone = false): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return this.commitEncoded(encodeWalRecord(executionId, logLine), logLine, log, alone);
  }

  /**
   * As {@link commit}, for a record encoded once for both logs (wal-format.ts encodeCommit):
   * `walLine` is written to the write-ahead log, `logLine` appended to `log`. `directories`: for a
   * record that starts a log just created, the directories whose entries lead to it; the segment
   * is deleted only once they were fsynced too.
   */
  commitEncoded(walLine: Buffer, logLine: Buffer, log: LogFile, alone = false, directories?: readonly string[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ walLine, logLine, log, directories, resolve, reject });
      if (this.#idleTimer) {
        clearTimeout(this.#idleTimer);
        this.#idleTimer = undefined;
      }
      if (alone && this.#inflight.length === 0 && this.#queue.length === 1 && this.#segment) {
        this.#pump(true);
      } else if (this.#inflight.length === 0 && this.#queue.length >= Math.max(2, this.#lastAcked / 2)) {
        // The disk is idle and half of those acknowledged together last time are back: start
        // their fdatasync now, while the others are still computing (they form the next group).
        this.#pump();
      } else if (!this.#pumpScheduled) {
        this.#pumpScheduled = true;
        // Start after the current task, so commits issued together go out together.
        setImmediate(this.#scheduledPump);
      }
    });
  }

  readonly #scheduledPump = (): void => {
    this.#pumpScheduled = false;
    this.#pump();
  };

  /**
   * Writes the queued commits as one group, unless MAX_INFLIGHT groups are syncing already.
   * `lone`: sync it synchronously (see commit).
   */
  #pump(lone = false): void {
    if (this.failure || this.#queue.length === 0 || this.#inflight.length >= MAX_INFLIGHT) return;
    const segment = this.#segment;
    if (!segment) {
      this.#opening ??= this.#openSegment().then(
        () => {
          this.#opening = undefined;
          this.#pump();
        },
        (error: unknown) => {
          this.#opening = undefined;
          this.#fail(error);
        },
      );
      return;
    }
    const commits = this.#queue;
    this.#queue = [];
    const group: Group = { number: ++this.#groupNumber, segment, commits };
    try {
      segment.size += writeAllSync(
        segment.fd,
        commits.map((c) => c.walLine),
      );
    } catch (error) {
      this.#fail(error, commits);
      return;
    }
    segment.inflight++;
    this.#inflight.push(group);
    if (segment.size >= this.options.segmentBytes) {
      // Later groups go to a new segment; this one is checkpointed once its groups are synced.
      segment.closing = true;
      this.#segment = undefined;
    } else {
      if (segment.allocated - segment.size < PREALLOCATE_AHEAD && !segment.preallocating) this.#preallocate(segment);
      if (!this.#next && segment.size >= this.options.segmentBytes / 2) this.#openNext();
    }
    const syncNow = lone || (commits.length === 1 && this.#lastGroup === 1 && this.#inflight.length === 1);
    this.#lastGroup = commits.length;
    if (syncNow) {
      // Commits come one at a time (one busy execution): nothing else has work to do while the
      // disk syncs, so skip the round trip through the thread pool.
      try {
        fdatasyncSync(segment.fd);
      } catch (error) {
        this.#fail(error);
        return;
      }
      this.#synced(group.number);
      return;
    }
    fdatasyncAsync(segment.fd).then(
      () => this.#synced(group.number),
      (error: unknown) => this.#fail(error),
    );
    // With room for another group in flight, the next one goes out as soon as it is queued.
  }

  /**
   * An fdatasync issued after group `number` was written has completed: that group and every
   * earlier one are durable. Appends their records to the execution logs and acknowledges them.
   */
  #synced(number: number): void {
    if (this.failure) return;
    this.stats.walSyncs++;
    let acked = 0;
    while (this.#inflight.length > 0 && this.#inflight[0]!.number <= number) {
      const group = this.#inflight.shift()!;
      const { segment } = group;
      try {
        for (const commit of group.commits) {
          commit.log.queue(commit.logLine);
          if (commit.log.queuedBytes >= FLUSH_BYTES) commit.log.flushSync();
          else this.#unflushed.add(commit.log);
          if (!segment.dirty.has(commit.log)) {
            commit.log.retain();
            segment.dirty.add(commit.log);
          }
          if (commit.directories) for (const directory of commit.directories) segment.directories.add(directory);
        }
      } catch (error) {
        this.#inflight.unshift(group);
        this.#fail(error);
        return;
      }
      this.stats.commits += group.commits.length;
      acked += group.commits.length;
      for (const commit of group.commits) commit.resolve();
      segment.inflight--;
      if (segment.closing && segment.inflight === 0) this.#checkpoint(segment, false);
    }
    if (acked > 0) this.#lastAcked = acked;
    if (this.#unflushed.size > 0 && !this.#flushTimer) {
      this.#flushTimer = setTimeout(this.#flushQueued, FLUSH_MS);
      this.#flushTimer.unref();
    }
    this.#pump();
    if (!this.busy && this.#segment) {
      this.#idleTimer = setTimeout(() => {
        const current = this.#segment;
        if (this.busy || this.failure || !current) return;
        current.closing = true;
        this.#segment = undefined;
        this.#checkpoint(current, true);
      }, this.options.idleMs);
      this.#idleTimer.unref();
    }
  }

  /** Appends the records queued for execution logs (see the top of the file). */
  readonly #flushQueued = (): void => {
    this.#flushTimer = undefined;
    const logs = [...this.#unflushed];
    this.#unflushed.clear();
    try {
      for (const log of logs) log.flushSync();
    } catch (error) {
      this.#fail(error);
    }
  };

  /**
   * Marks the log failed because appending one of its records to an execution log failed
   * elsewhere (a store flushing before it reads or lets go); returns the error later writes get.
   */
  failWith(error: unknown): WriteAheadLogFailedError {
    this.#fail(error);
    return this.failure!;
  }

  #fail(error: unknown, commits: Pending[] = []): void {
    this.failure ??= new WriteAheadLogFailedError(this.directory, error);
    const pending = [...commits, ...this.#inflight.flatMap((g) => g.commits), ...this.#queue];
    this.#inflight = [];
    this.#queue = [];
    for (const commit of pending) commit.reject(this.failure);
    // Keep the lock and the segments: whatever reached them is applied by the recovery that
    // runs once this process is gone; until then nobody may write over it.
    offExit(this);
  }

  /**
   * Writes zeros past the records (see the top of the file) and fsyncs them in the background.
   * Synchronous, so no group is written between taking the offset and writing the zeros; a group
   * written there before that fsync completes is as durable as ever, its fdatasync just costs
   * what an append's does.
   */
  #preallocate(segment: Segment): void {
    const from = Math.max(segment.allocated, segment.size);
    const length = Math.min(PREALLOCATE_BYTES, this.options.segmentBytes - from);
    if (length <= 0) return;
    try {
      let written = 0;
      while (written < length) written += writeSync(segment.fd, ZEROS, written, length - written, from + written);
    } catch {
      return; // not needed for correctness: the segment keeps growing with its records instead
    }
    segment.allocated = from + length;
    segment.preallocating = true;
    fsyncAsync(segment.fd).then(
      () => {
        segment.preallocating = false;
      },
      () => undefined, // a failing disk fails the next fdatasync of a record, which counts
    );
  }

  /** Takes the segment opened ahead, or opens one. */
  async #openSegment(): Promise<void> {
    const next = this.#next;
    this.#next = undefined;
    this.#nextOpen = undefined;
    this.#segment = (await next) ?? (await this.#createSegment());
  }

  /** Opens the next segment in the background (see #next); a failure there is left for #createSegment to meet. */
  #openNext(): void {
    const next = this.#createSegment().then(
      (segment) => {
        if (this.#next === next) this.#nextOpen = segment;
        return segment;
      },
      () => undefined,
    );
    this.#next = next;
  }

  /** Closes and removes the segment opened ahead, if any: it holds no records. */
  async #dropNext(): Promise<void> {
    const next = this.#next;
    this.#next = undefined;
    this.#nextOpen = undefined;
    const segment = await next;
    if (!segment) return;
    await closeAsync(segment.fd).catch(() => undefined);
    await fs.unlink(segment.path).catch(() => undefined);
  }

  async #createSegment(): Promise<Segment> {
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
    return { fd, path, size: 0, inflight: 0, closing: false, dirty: new Set(), directories: new Set(), allocated: 0, preallocating: false };
  }

  /**
   * In the background: makes every log appended to from `segment` durable, then deletes it.
   * `idle`: also drop the lock if nothing was written meanwhile.
   */
  #checkpoint(segment: Segment, idle: boolean): void {
    const checkpoint: Checkpoint = { segment, logs: [...segment.dirty], directories: [...segment.directories] };
    segment.dirty.clear();
    segment.directories.clear();
    this.#checkpointing.add(checkpoint);
    this.#checkpoints = this.#checkpoints.then(async () => {
      try {
        for (const log of checkpoint.logs) log.flushSync();
        // A few at a time, so that commits find a free thread in the pool (types/at-most.ts).
        await mapAtMost(checkpoint.logs, CHECKPOINT_SYNCS, (log) => log.datasync());
        this.stats.logSyncs += checkpoint.logs.length;
        // An execution removed since has no directory left to sync: syncDirectory ignores that.
        await mapAtMost(checkpoint.directories, CHECKPOINT_SYNCS, (directory) => syncDirectory(directory));
        this.stats.directorySyncs += checkpoint.directories.length;
        await closeAsync(segment.fd).catch(() => undefined);
        await fs.unlink(segment.path).catch(() => undefined);
        this.stats.checkpoints++;
      } catch (error) {
        this.#fail(error);
        return;
      } finally {
        this.#checkpointing.delete(checkpoint);
      }
      await Promise.all(checkpoint.logs.map((log) => log.unref()));
      if (idle && !this.busy && !this.#segment && this.#checkpointing.size === 0 && this.#lock) {
        await this.#dropNext();
        // A commit may have come while the segment opened ahead was removed.
        if (this.busy || this.#segment || this.#checkpointing.size > 0 || !this.#lock) return;
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
    if (this.failure || this.busy) return;
    const segments = [...this.#checkpointing].map((c) => c.segment);
    const logs = new Set([...this.#checkpointing].flatMap((c) => c.logs));
    const directories = new Set([...this.#checkpointing].flatMap((c) => c.directories));
    if (this.#segment) {
      segments.push(this.#segment);
      for (const log of this.#segment.dirty) logs.add(log);
      for (const directory of this.#segment.directories) directories.add(directory);
    }
    if (this.#nextOpen) segments.push(this.#nextOpen); // opened ahead, empty
    try {
      for (const log of logs) log.flushSync();
    } catch {
      return; // the segments stay, for the recovery the next process runs
    }
    for (const log of logs) fdatasyncSync(log.fd);
    for (const directory of directories) syncDirectorySync(directory);
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
