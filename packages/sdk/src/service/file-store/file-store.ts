// The embedded default store: plain files, Node built-ins only.
//
//   <dir>/executions/<id>/log    append-only log of committed mutations (see mutation-log.ts)
//   <dir>/executions/<id>/lock   held while this process may decide and append for the execution
//   <dir>/names/<sha256(name)>   the name claim, {"id","name",…}: the index of executions. It is
//                                the new execution's first lock file, linked here (see create);
//                                stores written before that kept it as executions/<id>/name
//   <dir>/wal/                   write-ahead logs, one per writing store instance (write-ahead-log.ts)
//
// The commit path: an update takes the execution's lock file (file-lock.ts) and opens its log, and
// keeps both while the execution is busy — they are let go of after a short idle window, at once
// when another store instance of this process asks, and after the current write when another
// process is waiting (it nudges the lock file; a sweeper stats held lock files every 20 ms, off the
// commit path). While the lock is held
// continuously nobody else can have appended, so a write reads nothing back; on taking the lock
// again, only bytes appended since (the log's size against the cached offset) are read.
//
// A decided mutation goes to this instance's write-ahead log, where commits of all executions
// made at the same moment share one write and one fdatasync; it is then appended to the
// execution's log (page cache only) and acknowledged. An execution's first record goes the same
// way: its directory and empty log are made, its first record committed, and only then its name
// claimed (create). The core's checkpoint-token check runs under
// the lock against the newest record, so a stale invocation in any process gets
// StaleCheckpointTokenError; each record also carries its sequence number, so even a broken lock
// could only produce a detectable CorruptLogError, never a silent overwrite. Crash safety (kill -9
// and power loss) rests on the write-ahead log and its recovery (wal-recovery.ts); the argument is
// written down in docs/cli-and-file-store.md.
import { closeSync, existsSync, fstatSync, ftruncate, fdatasync, openSync } from "node:fs";
import { promises as fs } from "node:fs";
import { dirname, join, sep } from "node:path";
import { promisify } from "node:util";
import type { HistoryEvent } from "../../protocol/history.js";
import { isExecutionId } from "../ids.js";
import { applyMutation, createEmptyRecord, pendingTimerOf, type ExecutionMutation, type ExecutionRecord } from "../execution-record.js";
import { evictSettledOperations, OperationsNotInMemory } from "../resident-operations.js";
import type { ExecutionStore, StoreDecision, StoreUpdate } from "../execution-store.js";
import { KeyedSerialQueue } from "../keyed-serial-queue.js";
import { shownValue } from "../../errors/shown-value.js";
import { isErrno } from "./errno.js";
import { offExit, onExit, type ExitCleanup } from "./exit-cleanup.js";
import { acquireFileLock, lockStamp, lockStillNames, lockUnpublished, type FileLock, type LockStamp } from "./file-lock.js";
import { LogFile } from "./log-file.js";
import { readLogRecords } from "./log-reader.js";
import { claimedId, claimPath } from "./name-claims.js";
import { RecordCache } from "./record-cache.js";
import { syncDirectory } from "./sync-directory.js";
import { encodeCommit } from "./wal-format.js";
import { recoverDeadWriters, type RecoveryReport } from "./wal-recovery.js";
import { WriteAheadLog, type WalStats } from "./write-ahead-log.js";

const ftruncateAsync = promisify(ftruncate);
const fdatasyncAsync = promisify(fdatasync);

/** Options of {@link FileExecutionStore}. */
export interface FileExecutionStoreOptions {
  /**
   * How long a write waits for another live process holding the execution's lock, in ms (default
   * 30 s; `Infinity` waits as long as it takes).
   */
  lockTimeoutMs?: number | undefined;
  /**
   * Operations of one execution held in memory before its settled steps, waits and contexts are
   * let go of (default 4096; also after every megabyte of committed records). They stay in the
   * log; a read that needs them (an invocation's initial state, listing operations, a stray update
   * naming one) loads the record whole again. Lower means less memory for very long executions,
   * higher means fewer reloads.
   */
  residentOperations?: number | undefined;
  /**
   * Records of executions this instance does not hold (let go of, or only read) kept in memory,
   * the most recently used ones (default 1024): taking or reading one of them again reads only
   * what was appended to its log since (otherwise its whole log). A process that runs executions
   * for days keeps this many at most, not every one it touched.
   */
  cachedRecords?: number | undefined;
}

const DEFAULT_RESIDENT_OPERATIONS = 4096;
const DEFAULT_CACHED_RECORDS = 1024;
/**
 * Settled operations are also let go of once this many bytes of records were committed since the
 * last time (large results — a chunk's 100 item results — would otherwise fill memory well before
 * the operation count does).
 */
const RESIDENT_BYTES = 1024 * 1024;

/** An execution's lock and log are let go of after this long without a write. */
const IDLE_MS = 25;
/**
 * ... or after this long, while it will be written again soon: an invocation is under way, or it
 * was just started and not yet invoked; or this long after a timer of it that falls due within
 * this long of its last write (a short wait: taking the lock and reading the log again would cost
 * more than keeping them). Under load (hundreds of executions started at once) the gap between
 * two writes of one invocation easily exceeds IDLE_MS, and letting go of the execution there
 * only means taking its lock again a moment later. Another process that wants it does not wait
 * for this: it asks (see the sweeper), and is handed the execution after the current write.
 */
const BUSY_IDLE_MS = 1_000;
/** The write-ahead log is checkpointed and removed after this long without a commit. */
const WAL_IDLE_MS = 50;
/** A write-ahead-log segment is checkpointed once it is this large. */
const WAL_SEGMENT_BYTES = 8 * 1024 * 1024;
/**
 * At most this many executions are held at once (each keeps its log open); beyond it the least
 * recently used idle ones are let go of early, down to three quarters of it.
 */
const MAX_HELD = 1024;
/** After handing an execution over to a waiting process, give it this long to take the lock. */
const YIELD_MS = 50;
/**
 * How often held executions are looked at: idle ones let go of, and the store's nudge file
 * compared (one stat; a process waiting for any lock touches it), and when it changed every held
 * lock file — often enough to hand over to a waiter promptly, off the commit path.
 */
const SWEEP_MS = 20;
/**
 * Each held lock file is also compared on its own about this often (spread at random): for a lost
 * lock, and for a waiter that does not touch the nudge file (an older version). Comparing every
 * lock at every sweep cost hundreds of stats per sweep with hundreds of executions held.
 */
const LOCK_CHECK_MS = 500;
/** The file a process waiting for any execution's lock touches, as well as that lock file. */
const NUDGE_FILE = "nudge";

interface CachedExecution {
  record: ExecutionRecord;
  /** Bytes of the log already applied to `record`. */
  offset: number;
  /** Let go of settled operations once more than this many are held. */
  compactAt: number;
  /** Bytes of records committed since settled operations were last let go of. */
  committedBytes: number;
}

/** An execution this instance holds: its lock and its open log, kept between writes. */
interface Held {
  id: string;
  lock: FileLock;
  /** The lock file's stamp when last checked; a change means a waiter or a lost lock. */
  stamp: LockStamp | undefined;
  log: LogFile;
  entry: CachedExecution;
  /** An update is using it. */
  inUse: boolean;
  /** Let go of it after the current update. */
  handOver: boolean;
  /** Set when another process asked for it (so this instance yields before taking it again). */
  waited: boolean;
  /** When an update last used it (performance.now()). */
  lastUsed: number;
  /** The lock file was found removed or replaced: take it again before the next write. */
  lost: boolean;
  /** Registered in localHolders while held. */
  letGo: () => void;
  /** When the sweeper compares the lock file next, unless the nudge file changes first (performance.now()). */
  nextCheck: number;
}

/** Counters of a store's write path, for tests and benchmarks. */
export interface FileStoreStats extends WalStats {
  /** Dead writers' logs this instance recovered. */
  recoveredWriters: number;
  /** Records this instance's recoveries appended to execution logs. */
  recoveredRecords: number;
  /** Execution locks taken (a held lock reused by the next write counts once). */
  lockAcquisitions: number;
  /** Held lock files the sweeper compared (one stat each). */
  lockChecks: number;
  /** Execution records in memory now, held executions' included (see cachedRecords). */
  cachedRecords: number;
}

/** Lock path → ask the holding instance of this process to let go. */
const localHolders = new Map<string, () => void>();
const statsOf = new WeakMap<FileExecutionStore, () => FileStoreStats>();

/** The write-path counters of `store` (not part of the public API; for tests and the bench). */
export function fileStoreStats(store: FileExecutionStore): FileStoreStats {
  return statsOf.get(store)!();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * When a held lock file is compared on its own next: LOCK_CHECK_MS on average, spread so that the
 * locks of executions started together are not all compared at one sweep.
 */
const nextLockCheck = (now: number): number => now + LOCK_CHECK_MS * (0.5 + Math.random());

/**
 * How long (ms) the execution may sit idle after its last write, at `lastWrite` (epoch ms), before
 * it is let go of: BUSY_IDLE_MS while it runs an invocation, has not had one yet, or waits to be
 * woken (a callback completed: an invocation follows); until BUSY_IDLE_MS after a timer that falls
 * due within BUSY_IDLE_MS of that write (a short wait or retry delay, after which whoever drives
 * it invokes it again); IDLE_MS otherwise.
 */
function idleLimit(record: ExecutionRecord, lastWrite: number): number {
  if (record.summary.status !== "RUNNING") return IDLE_MS;
  if (record.invocation !== undefined || record.summary.invocationCount === 0 || record.wakePending) return BUSY_IDLE_MS;
  let limit = IDLE_MS;
  for (const id of record.timers) {
    // Operations with a timer are open, so never let go of (resident-operations.ts).
    const operation = record.operations.get(id);
    const due = operation && pendingTimerOf(operation);
    const dueAfter = due === undefined ? Number.POSITIVE_INFINITY : due.getTime() - lastWrite;
    if (dueAfter <= BUSY_IDLE_MS) limit = Math.max(limit, dueAfter + BUSY_IDLE_MS);
  }
  return limit;
}

/**
 * Keeps executions in a directory (`<directory>/executions/<id>/log`, an append-only log per
 * execution): the embedded store of the CLI. Every acknowledged write is durable first (in a
 * write-ahead log shared by the writes made at the same moment), a torn last record is ignored and
 * cut off, damage before a valid record is a CorruptLogError, and a per-execution lock file lets
 * several processes share the directory safely.
 */
export class FileExecutionStore implements ExecutionStore {
  /** The store's directory. */
  readonly directory: string;
  private readonly lockTimeoutMs: number | undefined;
  private readonly residentOperations: number;
  private readonly cache: RecordCache<CachedExecution>;
  /** Serializes this process's work per execution, so cache catch-up never interleaves. */
  private readonly queue = new KeyedSerialQueue();
  private readonly held = new Map<string, Held>();
  private readonly yieldUntil = new Map<string, number>();
  private readonly wal: WriteAheadLog;
  private recovered: Promise<void> | undefined;
  /** executions/ and names/ exist (see storeDirectories). */
  private directoriesMade: Promise<void> | undefined;
  /** The first recovery has completed (so writes need not wait for it). */
  private recoveryDone = false;
  /** Executions the last recovery could not bring up to date: not to be written (see take). */
  private unrecovered = new Map<string, Error>();
  private readonly counters = { recoveredWriters: 0, recoveredRecords: 0, lockAcquisitions: 0, lockChecks: 0 };
  private readonly exitCleanup: ExitCleanup = { closeSync: () => this.closeSync() };
  /** Lets go of idle executions; runs only while something is held. */
  private sweeper: NodeJS.Timeout | undefined;
  /** When the sweeper last ran (performance.now()). */
  private lastSweep = 0;
  /** The file a process waiting for any of this store's locks touches (see NUDGE_FILE). */
  private readonly nudgePath: string;
  /** `<directory>/executions`, normalised once: execution paths are built from it by concatenation. */
  private readonly executionsDir: string;
  /** `executionsDir` and a separator. */
  private readonly executionsPrefix: string;
  /** `<directory>/names`, where name claims are linked, normalised once as `executionsDir` is. */
  private readonly namesDir: string;
  /** The nudge file's stamp at the last sweep. */
  private nudgeSeen: LockStamp | undefined;
  /** Idle executions are being let go of because too many are held (see letGoOfIdle). */
  private lettingGo = false;

  /** A store in `directory` (created on first write). */
  constructor(directory: string, options: FileExecutionStoreOptions = {}) {
    // An empty path would put the store in the working directory: most likely an unset setting.
    if (typeof directory !== "string" || directory === "") {
      throw new TypeError(`FileExecutionStore: directory must be a non-empty path (got ${JSON.stringify(directory)}).`);
    }
    this.directory = directory;
    this.nudgePath = join(directory, NUDGE_FILE);
    this.executionsDir = join(directory, "executions");
    this.executionsPrefix = this.executionsDir + sep;
    this.namesDir = join(directory, "names");
    const lockTimeoutMs = options.lockTimeoutMs;
    // NaN (a setting read from an unset environment variable, say) would make a write wait forever.
    if (lockTimeoutMs !== undefined && (typeof lockTimeoutMs !== "number" || Number.isNaN(lockTimeoutMs) || lockTimeoutMs < 0)) {
      throw new TypeError(`FileExecutionStore: lockTimeoutMs must be a number of milliseconds >= 0 (got ${shownValue(lockTimeoutMs)}).`);
    }
    this.lockTimeoutMs = lockTimeoutMs;
    const resident = options.residentOperations ?? DEFAULT_RESIDENT_OPERATIONS;
    if (!Number.isInteger(resident) || resident < 0) {
      throw new TypeError(`FileExecutionStore: residentOperations must be a whole number >= 0 (got ${shownValue(options.residentOperations)}).`);
    }
    this.residentOperations = resident;
    const cached = options.cachedRecords ?? DEFAULT_CACHED_RECORDS;
    if (!Number.isInteger(cached) || cached < 0) {
      throw new TypeError(`FileExecutionStore: cachedRecords must be a whole number >= 0 (got ${shownValue(options.cachedRecords)}).`);
    }
    this.cache = new RecordCache(cached, (id) => this.held.has(id), () => this.held.size);
    this.wal = new WriteAheadLog(join(directory, "wal"), { segmentBytes: WAL_SEGMENT_BYTES, idleMs: WAL_IDLE_MS });
    statsOf.set(this, () => ({ ...this.wal.stats, ...this.counters, cachedRecords: this.cache.size }));
  }

  // Concatenated rather than joined: `id` is a validated execution id (no separators, no dots),
  // and join() normalises the whole path again on every call (these run several times per execution).
  private executionDir(id: string): string {
    return this.executionsPrefix + id;
  }
  private logPath(id: string): string {
    return `${this.executionsPrefix}${id}${sep}log`;
  }
  private lockPath(id: string): string {
    return `${this.executionsPrefix}${id}${sep}lock`;
  }
  private namePath(name: string): string {
    return claimPath(this.directory, name);
  }

  /** Recovers dead writers' logs once, before this instance first reads or writes an execution. */
  private recoverOnce(): Promise<void> {
    this.recovered ??= this.recoverDeadWriters().then(
      () => {
        this.recoveryDone = true;
      },
      (error: unknown) => {
        this.recovered = undefined;
        throw error;
      },
    );
    return this.recovered;
  }

  private async recoverDeadWriters(): Promise<RecoveryReport> {
    const report = await recoverDeadWriters(this.directory, this.lockTimeoutMs);
    this.unrecovered = report.unrecovered;
    this.counters.recoveredWriters += report.writers;
    this.counters.recoveredRecords += report.appended;
    return report;
  }

  /**
   * Brings `entry` (or a fresh record) up to the end of the open log `fd`, reading only bytes not
   * yet applied. `repair` (only under the lock) cuts off a torn last record; without the lock an
   * invalid tail may be another process's append in progress, so it is only skipped.
   */
  private async catchUp(id: string, fd: number, repair: boolean): Promise<CachedExecution | undefined> {
    const path = this.logPath(id);
    this.appendQueued(path);
    // Synchronous: a metadata call costs less than a round trip through the thread pool (reading
    // the new records, if any, stays asynchronous).
    const { size } = fstatSync(fd);
    let entry = this.cache.get(id);
    // The log only grows, except when a torn tail was cut: then re-read it whole.
    if (!entry || size < entry.offset) {
      entry = { record: createEmptyRecord(id, { keepHistory: false }), offset: 0, compactAt: this.residentOperations, committedBytes: 0 };
    }
    if (size > entry.offset) {
      const record = entry.record;
      const read = await readLogRecords(fd, entry.offset, size, path, record.seq + 1, (mutation) => applyMutation(record, mutation));
      entry.offset = read.end;
      if (read.invalidTail && repair) {
        await ftruncateAsync(fd, entry.offset);
        await fdatasyncAsync(fd);
      }
    }
    if (entry.record.seq === 0) {
      // Only a torn creation record: the execution was never created.
      this.cache.delete(id);
      return undefined;
    }
    this.cache.set(id, entry);
    return entry;
  }

  /**
   * Appends the records this process has acknowledged and queued for the log at `path`, so that
   * reading the file sees them all (see log-file.ts). A failed append fails the write-ahead log.
   */
  private appendQueued(path: string): void {
    try {
      LogFile.flushPath(path);
    } catch (error) {
      throw this.wal.failWith(error);
    }
  }

  /**
   * Makes `executions/` and `names/` once per instance (a new store: their entries, and the
   * store's entry in its parent, made durable).
   */
  private storeDirectories(): Promise<void> {
    this.directoriesMade ??= (async () => {
      const [createdStore] = await Promise.all([
        fs.mkdir(this.executionsDir, { recursive: true }),
        fs.mkdir(this.namesDir, { recursive: true }),
      ]);
      if (createdStore !== undefined) {
        await Promise.all([syncDirectory(this.directory), syncDirectory(dirname(this.directory))]);
      }
    })().catch((error: unknown) => {
      this.directoriesMade = undefined;
      throw error;
    });
    return this.directoriesMade;
  }

  /** Makes the new execution's directory (and the store's, when they are missing). */
  private async makeExecutionDir(dir: string): Promise<void> {
    await this.storeDirectories();
    try {
      await fs.mkdir(dir);
    } catch (error) {
      // The store's directories were removed since this instance made them: make them again.
      if (!isErrno(error, "ENOENT")) throw error;
      this.directoriesMade = undefined;
      await this.storeDirectories();
      await fs.mkdir(dir);
    }
  }

  async create(executionId: string, executionName: string, initial: ExecutionMutation): Promise<string> {
    if (!isExecutionId(executionId)) throw new Error(`Not an execution id: ${executionId}`);
    if (this.wal.failure) throw this.wal.failure;
    const dir = this.executionDir(executionId);
    await this.makeExecutionDir(dir);
    // The lock is taken with the directory, so the new execution is held from its first record:
    // its first update neither takes the lock nor reads the log back. The lock file is also the
    // name claim: it holds {"id","name"} beside its owner, is made durable before it can be linked
    // into names/ (recovery tells executions apart by a claim's content), and stays there when the
    // lock is released. Creating a file is most of what a new execution costs the disk (on ext4
    // without a journal, 12 to 400 µs of kernel time each), so one file serves both.
    // The log starts empty: its first record goes through the write-ahead log like any other.
    const [opened, locked] = await Promise.allSettled([
      LogFile.create(this.logPath(executionId)),
      lockUnpublished(this.lockPath(executionId), { id: executionId, name: executionName }),
    ]);
    const log = opened.status === "fulfilled" ? opened.value : undefined;
    const lock = locked.status === "fulfilled" ? locked.value : undefined;
    let entry: CachedExecution;
    try {
      for (const outcome of [opened, locked]) if (outcome.status === "rejected") throw outcome.reason;
      const { walLine, logLine } = encodeCommit(executionId, initial);
      // Durable in the write-ahead log (shared with whatever commits at the same moment), then in
      // the log's page cache; the log and the directory entries leading to it are made durable
      // when the segment is checkpointed. Until the claim is linked nobody can reach the execution.
      await this.wal.commitEncoded(walLine, logLine, log!, false, [dir, this.executionsDir]);
      const record = createEmptyRecord(executionId, { keepHistory: false });
      applyMutation(record, initial);
      entry = { record, offset: logLine.length, compactAt: this.residentOperations, committedBytes: logLine.length };
    } catch (error) {
      await log?.unref();
      await lock?.release();
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }

    // The execution exists only once its name is claimed; link() makes the claim atomic, so two
    // processes starting the same name agree on one execution. The claim is linked only after its
    // first record is durable: a claim that survives a power loss always leads to an execution.
    // It is held only once linked: until then nothing may let go of the lock file (whose entry
    // the link needs), and the link changes the file's ctime, which the sweeper's stamp must include.
    try {
      await fs.link(lock!.path, this.namePath(executionName));
    } catch (error) {
      // As release(): the first record, queued for the log, goes there before the lock does (if
      // that append fails, the lock stays, for recovery; see WriteAheadLogFailedError).
      this.appendQueued(log!.path);
      await log!.unref();
      await lock!.release();
      if (!isErrno(error, "EEXIST")) throw error;
      await fs.rm(dir, { recursive: true, force: true });
      const owner = await this.findByName(executionName);
      if (owner === undefined) throw new Error(`Execution name "${executionName}" is claimed but unreadable`);
      // The winner's claim may still be on its way to the disk: answer with it only once it is there.
      await syncDirectory(this.namesDir);
      return owner;
    }
    this.hold(executionId, lock!, log!, entry, false);
    await syncDirectory(this.namesDir);
    return executionId;
  }

  async findByName(executionName: string): Promise<string | undefined> {
    return claimedId(this.directory, executionName);
  }

  async listIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.namesDir);
    } catch (error) {
      if (isErrno(error, "ENOENT")) return [];
      throw error;
    }
    const ids: string[] = [];
    for (const name of names) {
      if (name.endsWith(".tmp")) continue;
      const entry = JSON.parse(await fs.readFile(join(this.namesDir, name), "utf8")) as { id: string };
      if (isExecutionId(entry.id)) ids.push(entry.id);
    }
    return ids.sort();
  }

  async read<T>(executionId: string, view: (record: ExecutionRecord) => T): Promise<T | undefined> {
    if (!isExecutionId(executionId)) return undefined;
    return this.queue.run(executionId, async () => {
      await this.recoverOnce();
      // Held continuously: nobody else can have appended.
      const held = this.held.get(executionId);
      if (held) {
        const whole = await this.decideWhole(executionId, held.log.fd, held.entry, view, true);
        held.entry = whole.entry;
        return whole.result;
      }
      return this.withLogOpenForReading(executionId, async (fd) => {
        const entry = await this.catchUp(executionId, fd, false);
        return entry === undefined ? undefined : (await this.decideWhole(executionId, fd, entry, view, false)).result;
      });
    });
  }

  /**
   * Runs `use` with the execution's log open read-only; undefined (and the cache dropped) when
   * there is no log. The open and close are synchronous: opening an existing file and closing a
   * read-only descriptor are metadata calls that cost less than a thread-pool round trip each,
   * and a read usually finds the record it caches current (nothing more to read).
   */
  private async withLogOpenForReading<T>(executionId: string, use: (fd: number, path: string) => Promise<T | undefined>): Promise<T | undefined> {
    const path = this.logPath(executionId);
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (error) {
      if (isErrno(error, "ENOENT")) {
        this.cache.delete(executionId);
        return undefined;
      }
      throw error;
    }
    try {
      return await use(fd, path);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The execution's history read back from its log, a chunk at a time (records here keep none in
   * memory). Only bytes of whole, valid records count; a torn tail is left for a writer to cut.
   */
  async readHistory(executionId: string): Promise<HistoryEvent[] | undefined> {
    if (!isExecutionId(executionId)) return undefined;
    return this.queue.run(executionId, async () => {
      await this.recoverOnce();
      return this.withLogOpenForReading(executionId, async (fd, path) => {
        this.appendQueued(path);
        const { size } = fstatSync(fd);
        const events: HistoryEvent[] = [];
        let created = false;
        await readLogRecords(fd, 0, size, path, 1, (mutation) => {
          created = true;
          for (const event of mutation.events ?? []) events.push(event);
        });
        return created ? events : undefined;
      });
    });
  }

  update<T>(executionId: string, decide: (record: ExecutionRecord) => StoreDecision<T>): Promise<StoreUpdate<T> | undefined> {
    if (!isExecutionId(executionId)) return Promise.resolve(undefined);
    // A caller committing back to back never lets the event loop reach its timers (a lone commit
    // completes without a round trip through the thread pool): let the sweeper run now and then,
    // or a process waiting for one of our locks would never be handed it. Otherwise the update
    // starts at once: no async frame of its own around the queue's (one promise fewer per commit).
    if (this.sweeper !== undefined && performance.now() - this.lastSweep > 2 * SWEEP_MS) {
      return new Promise((resolve) => setTimeout(resolve, 0)).then(() => this.updateQueued(executionId, decide));
    }
    return this.updateQueued(executionId, decide);
  }

  /** {@link update}, queued behind this process's other work on the execution. */
  private updateQueued<T>(executionId: string, decide: (record: ExecutionRecord) => StoreDecision<T>): Promise<StoreUpdate<T> | undefined> {
    return this.queue.run(executionId, async () => {
      if (this.wal.failure) throw this.wal.failure;
      // The common case — recovered, and the execution held since its last write — takes no await
      // before the commit itself.
      if (!this.recoveryDone) await this.recoverOnce();
      let held = this.held.get(executionId);
      if (held !== undefined && !held.lost) held.lastUsed = performance.now();
      else held = (await this.stillHeld(executionId)) ?? (await this.take(executionId));
      if (held === undefined) return undefined;
      held.inUse = true;
      try {
        let decided: StoreDecision<T>;
        try {
          decided = decide(held.entry.record);
        } catch (error) {
          if (!(error instanceof OperationsNotInMemory)) throw error;
          const whole = await this.reloadAndDecide(executionId, held.log.fd, decide, true);
          held.entry = whole.entry;
          decided = whole.result;
        }
        const { mutation, result } = decided;
        if (mutation) {
          const { walLine, logLine } = encodeCommit(executionId, mutation);
          // Resolves once the record is durable (write-ahead log) and appended to the log.
          await this.wal.commitEncoded(walLine, logLine, held.log, this.held.size === 1);
          applyMutation(held.entry.record, mutation);
          held.entry.offset += logLine.length;
          held.entry.committedBytes += logLine.length;
          this.compact(held.entry);
          // An execution that ended with no invocation under way is not written again soon.
          if (held.entry.record.summary.status !== "RUNNING" && !held.entry.record.invocation) held.handOver = true;
        }
        return { result };
      } finally {
        held.inUse = false;
        if (held.handOver) await this.afterUse(held);
        else if (!this.wal.failure) held.lastUsed = performance.now();
      }
    });
  }

  /**
   * Runs `decide` against the record; when it needs operations the record let go of, loads the
   * record whole from the log (bytes up to the entry's offset: everything committed) and runs it
   * again. Returns the entry it ran against, which the caller keeps.
   */
  private async decideWhole<T>(
    id: string,
    fd: number,
    entry: CachedExecution,
    decide: (record: ExecutionRecord) => T,
    repair: boolean,
  ): Promise<{ entry: CachedExecution; result: T }> {
    try {
      return { entry, result: decide(entry.record) };
    } catch (error) {
      if (!(error instanceof OperationsNotInMemory)) throw error;
    }
    return this.reloadAndDecide(id, fd, decide, repair);
  }

  /** Loads the record whole from the log (see decideWhole) and runs `decide` against it. */
  private async reloadAndDecide<T>(
    id: string,
    fd: number,
    decide: (record: ExecutionRecord) => T,
    repair: boolean,
  ): Promise<{ entry: CachedExecution; result: T }> {
    this.cache.delete(id);
    const whole = await this.catchUp(id, fd, repair);
    if (whole === undefined) throw new Error(`Execution ${id} vanished from ${this.directory} while it was being read`);
    // A fresh entry: let go of again at the next commit (an invocation reads all its pages before it commits).
    return { entry: whole, result: decide(whole.record) };
  }

  /** Lets go of settled operations once the record holds more than its limit, or took in many bytes. */
  private compact(entry: CachedExecution): void {
    const record = entry.record;
    if (record.operations.size <= entry.compactAt && (entry.committedBytes <= RESIDENT_BYTES || record.operations.size <= 1)) return;
    entry.committedBytes = 0;
    const held = evictSettledOperations(record, new Set(record.invocation?.changedOutside ?? []));
    // Operations still open stay; compacting again only pays once as many more have come.
    entry.compactAt = Math.max(this.residentOperations, 2 * held);
  }

  /**
   * Removes an execution's files — its log, lock and name claim — when `allowed` says so of its
   * newest record, read under its lock. Returns true when it was removed, false when `allowed`
   * refused, undefined when there is no such execution. The name claim goes first, so the
   * execution leaves listings at once and its name is free again. Meant for ended executions: an
   * execution that is still RUNNING may have a writer that would fail on its next commit.
   */
  async delete(executionId: string, allowed: (record: ExecutionRecord) => boolean): Promise<boolean | undefined> {
    if (!isExecutionId(executionId)) return undefined;
    return this.queue.run(executionId, async () => {
      if (this.wal.failure) throw this.wal.failure;
      await this.recoverOnce();
      const held = (await this.stillHeld(executionId)) ?? (await this.take(executionId));
      if (held === undefined) return undefined;
      const record = held.entry.record;
      if (!allowed(record)) {
        await this.afterUse(held);
        return false;
      }
      // A write-ahead-log record of it left by a dead writer is skipped by recovery once the
      // execution's directory is gone (wal-recovery.ts: "the execution was removed").
      await fs.unlink(this.namePath(record.summary.executionName)).catch((error: unknown) => {
        if (!isErrno(error, "ENOENT")) throw error;
      });
      await syncDirectory(this.namesDir);
      await this.release(held);
      this.cache.delete(executionId);
      await fs.rm(this.executionDir(executionId), { recursive: true, force: true });
      await syncDirectory(this.executionsDir);
      return true;
    });
  }

  /**
   * The hold on `id` if this instance still has it. A hold whose lock file the sweeper found
   * removed or replaced is let go of here (without touching the file), so the lock is taken again
   * properly, catching up with whatever was appended meanwhile.
   */
  private async stillHeld(id: string): Promise<Held | undefined> {
    const held = this.held.get(id);
    if (!held) return undefined;
    if (!held.lost) {
      held.lastUsed = performance.now();
      return held;
    }
    await this.release(held);
    // Someone else has been at this lock: hand it back after the next write.
    this.yieldUntil.set(id, 0);
    return undefined;
  }

  /** Takes the execution's lock, opens its log and catches up; undefined when it does not exist. */
  private async take(id: string): Promise<Held | undefined> {
    const logPath = this.logPath(id);
    // Synchronous metadata calls on the way to a free lock (see takeFreeLockSync in file-lock.ts).
    if (!existsSync(logPath)) return undefined;
    // A dead writer's log has records this log cannot take (damage, or a gap): writing on would
    // fork the execution's history.
    const problem = this.unrecovered.get(id);
    if (problem) throw problem;
    const lockPath = this.lockPath(id);
    let handOver = this.yieldUntil.has(id);
    const yieldDeadline = this.yieldUntil.get(id) ?? 0;
    this.yieldUntil.delete(id);
    // A process we handed the execution over to gets a moment to take the lock before we do.
    while (Date.now() < yieldDeadline && lockStamp(lockPath) === undefined) await sleep(2);
    localHolders.get(lockPath)?.();
    const lock = await acquireFileLock(lockPath, {
      timeoutMs: this.lockTimeoutMs,
      nudgeAlso: this.nudgePath,
      beforeBreak: async () => {
        // The dead holder may have made a record of this execution durable without appending it:
        // that record must be in the log before anybody else decides.
        const problem = (await this.recoverDeadWriters()).unrecovered.get(id);
        if (problem) throw problem;
      },
    });
    this.counters.lockAcquisitions++;
    // Someone else uses this execution (or did, and died): hand it back after this write instead
    // of keeping it.
    if (lock.contended) handOver = true;
    let log: LogFile | undefined;
    try {
      log = LogFile.openSync(logPath);
      const entry = await this.catchUp(id, log.fd, true);
      if (entry === undefined) {
        await log.unref();
        await lock.release();
        return undefined;
      }
      return this.hold(id, lock, log, entry, handOver);
    } catch (error) {
      await log?.unref();
      await lock.release();
      throw error;
    }
  }

  /** Registers the execution as held by this instance, with its lock, its open log and its record. */
  private hold(id: string, lock: FileLock, log: LogFile, entry: CachedExecution, handOver: boolean): Held {
    const held: Held = {
      id,
      lock,
      stamp: lockStamp(lock.path),
      log,
      entry,
      inUse: false,
      handOver,
      waited: false,
      lastUsed: performance.now(),
      lost: false,
      letGo: () => this.askToLetGo(held),
      nextCheck: nextLockCheck(performance.now()),
    };
    this.held.set(id, held);
    // Held first: the cache never drops a held execution's record to make room.
    this.cache.set(id, entry);
    localHolders.set(lock.path, held.letGo);
    if (this.held.size === 1) {
      onExit(this.exitCleanup);
      this.lastSweep = performance.now();
      this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
      this.sweeper.unref();
    }
    if (this.held.size > MAX_HELD) this.letGoOfIdle();
    return held;
  }

  /** Another instance of this process wants the execution: let go now, or after the current write. */
  private askToLetGo(held: Held): void {
    held.handOver = true;
    if (!held.inUse) void this.queue.run(held.id, () => this.releaseIfHeld(held)).catch(() => undefined);
  }

  private letGoOfIdle(): void {
    if (this.lettingGo) return;
    // The least recently used first, and only as many as needed: a store busy with more
    // executions than the limit must not let go of (and take again) every one of them each time.
    const idle = [...this.held.values()].filter((held) => !held.inUse).sort((a, b) => a.lastUsed - b.lastUsed);
    const excess = this.held.size - Math.floor((MAX_HELD * 3) / 4);
    if (excess <= 0 || idle.length === 0) return;
    this.lettingGo = true;
    void Promise.all(idle.slice(0, excess).map((held) => this.queue.run(held.id, () => this.releaseIfHeld(held)).catch(() => undefined))).then(() => {
      this.lettingGo = false;
    });
  }

  private async afterUse(held: Held): Promise<void> {
    if (this.wal.failure) return; // keep the lock: recovery applies what reached the log, later
    if (held.handOver) {
      await this.release(held);
      if (held.waited) this.yieldUntil.set(held.id, Date.now() + YIELD_MS);
      return;
    }
    held.lastUsed = performance.now();
  }

  /**
   * Lets go of executions idle for longer than their idleLimit (IDLE_MS, longer while they will
   * be written again soon), and compares held lock files' stamps (all of them when the nudge file
   * changed, otherwise those due for a check): changed with the same content means another
   * process waits (a nudge): hand over after the current write; changed content or a missing
   * file means the lock was lost.
   */
  private sweep(): void {
    const now = performance.now();
    this.lastSweep = now;
    const nudge = lockStamp(this.nudgePath);
    const seen = this.nudgeSeen;
    const nudged = nudge !== undefined && (seen === undefined || nudge.ino !== seen.ino || nudge.ctimeMs !== seen.ctimeMs);
    this.nudgeSeen = nudge;
    for (const held of this.held.values()) {
      const idleFor = now - held.lastUsed;
      const idleMs = idleFor < IDLE_MS ? IDLE_MS : idleLimit(held.entry.record, Date.now() - idleFor);
      if (!held.inUse && idleFor >= idleMs) {
        void this.queue.run(held.id, () => this.releaseIfHeld(held, idleMs)).catch(() => undefined);
        continue;
      }
      if (!nudged && now < held.nextCheck) continue;
      held.nextCheck = nextLockCheck(now);
      this.counters.lockChecks++;
      const stamp = lockStamp(held.lock.path);
      if (stamp && held.stamp && stamp.ino === held.stamp.ino && stamp.ctimeMs === held.stamp.ctimeMs) continue;
      if (stamp && lockStillNames(held.lock.path, held.lock.content)) {
        held.stamp = stamp;
        held.handOver = true;
        held.waited = true;
        if (!held.inUse) {
          void this.queue
            .run(held.id, async () => {
              if (this.held.get(held.id) !== held || this.wal.failure) return;
              await this.release(held);
              this.yieldUntil.set(held.id, Date.now() + YIELD_MS);
            })
            .catch(() => undefined);
        }
      } else {
        held.lost = true;
      }
    }
  }

  /** Releases `held` if it is still this instance's and (given `idleMs`) has stayed idle that long. */
  private async releaseIfHeld(held: Held, idleMs = 0): Promise<void> {
    if (this.held.get(held.id) !== held || this.wal.failure) return;
    if (performance.now() - held.lastUsed < idleMs) return;
    await this.release(held);
  }

  private async release(held: Held): Promise<void> {
    // Whoever takes the lock next reads the file: the records still queued for it go first. If
    // that fails, the lock stays (the write-ahead log has failed; see its failure).
    this.appendQueued(held.log.path);
    this.held.delete(held.id);
    // Its record joins those kept for executions not held, as the most recently used (see
    // RecordCache): the read that usually follows an invocation finds it current.
    if (this.cache.get(held.id) === held.entry) this.cache.set(held.id, held.entry);
    else this.cache.trim();
    if (localHolders.get(held.lock.path) === held.letGo) localHolders.delete(held.lock.path);
    if (this.held.size === 0) {
      offExit(this.exitCleanup);
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
    // The write-ahead log keeps its own reference while the log still needs an fdatasync.
    await held.log.unref();
    await held.lock.release();
  }

  /** At process exit: let go of every held execution, unless a write may be half done. */
  private closeSync(): void {
    if (this.wal.failure || this.wal.busy) return;
    for (const held of this.held.values()) {
      try {
        held.log.flushSync();
      } catch {
        continue; // keep the lock: the next process recovers the records from the write-ahead log
      }
      held.log.unrefSync();
      held.lock.releaseSync();
    }
    this.held.clear();
  }
}
