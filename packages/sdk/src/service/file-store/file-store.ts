// The embedded default store: plain files, Node built-ins only.
//
//   <dir>/executions/<id>/log    append-only log of committed mutations (see mutation-log.ts)
//   <dir>/executions/<id>/lock   held while a mutation is decided and appended
//   <dir>/names/<sha256(name)>   {"id","name"}: the index of executions, and the name claim
//
// Fencing across processes: every write takes the execution's lock file (file-lock.ts), reads
// whatever other processes appended since this process last looked, decides against that
// up-to-date record and appends + fsyncs before releasing. The core's checkpoint-token check
// therefore always sees the newest token, so a stale invocation in any process gets
// StaleCheckpointTokenError instead of overwriting. Each record also carries its sequence number,
// so even a broken lock could only produce a detectable CorruptLogError, never a silent overwrite.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { isExecutionId } from "../ids.js";
import { applyMutation, createEmptyRecord, type ExecutionMutation, type ExecutionRecord } from "../execution-record.js";
import type { ExecutionStore, StoreDecision, StoreUpdate } from "../execution-store.js";
import { KeyedSerialQueue } from "../keyed-serial-queue.js";
import { acquireFileLock } from "./file-lock.js";
import { encodeLogRecord, scanLogRecords } from "./mutation-log.js";

/** Options of {@link FileExecutionStore}. */
export interface FileExecutionStoreOptions {
  /** How long a write waits for another live process holding the execution's lock (default 30 s). */
  lockTimeoutMs?: number | undefined;
}

interface CachedExecution {
  record: ExecutionRecord;
  /** Bytes of the log already applied to `record`. */
  offset: number;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** Makes a directory entry (a created or linked file) durable; a no-op where dirs can't be fsynced. */
async function syncDirectory(path: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(path, "r");
    await handle.sync();
  } catch {
    // Windows cannot fsync directories; the entry is still written.
  } finally {
    await handle?.close();
  }
}

/**
 * Keeps executions in a directory (`<directory>/executions/<id>/log`, an append-only log per
 * execution): the embedded store of the CLI. Every acknowledged write is fsynced first, a torn last
 * record is ignored and cut off, damage before a valid record is a CorruptLogError, and a
 * per-execution lock file lets several processes share the directory safely.
 */
export class FileExecutionStore implements ExecutionStore {
  /** The store's directory. */
  readonly directory: string;
  private readonly lockTimeoutMs: number | undefined;
  private readonly cache = new Map<string, CachedExecution>();
  /** Serializes this process's work per execution, so cache catch-up never interleaves. */
  private readonly queue = new KeyedSerialQueue();

  /** A store in `directory` (created on first write). */
  constructor(directory: string, options: FileExecutionStoreOptions = {}) {
    this.directory = directory;
    this.lockTimeoutMs = options.lockTimeoutMs;
  }

  private executionDir(id: string): string {
    return join(this.directory, "executions", id);
  }
  private logPath(id: string): string {
    return join(this.executionDir(id), "log");
  }
  private namePath(name: string): string {
    return join(this.directory, "names", createHash("sha256").update(name).digest("hex"));
  }

  /**
   * Brings the cached record up to the end of the log, reading only bytes not yet applied.
   * `repair` (only under the lock) cuts off a torn last record; without the lock an invalid tail
   * may be another process's append in progress, so it is only skipped.
   */
  private async catchUp(id: string, repair: boolean): Promise<CachedExecution | undefined> {
    const path = this.logPath(id);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path, repair ? "r+" : "r");
    } catch (error) {
      if (isErrno(error, "ENOENT")) {
        this.cache.delete(id);
        return undefined;
      }
      throw error;
    }
    try {
      const { size } = await handle.stat();
      let entry = this.cache.get(id);
      if (!entry || size < entry.offset) entry = { record: createEmptyRecord(id), offset: 0 };
      if (size > entry.offset) {
        const data = Buffer.alloc(size - entry.offset);
        const { bytesRead } = await handle.read(data, 0, data.length, entry.offset);
        const scan = scanLogRecords(data.subarray(0, bytesRead), entry.offset, path, entry.record.seq + 1);
        for (const mutation of scan.mutations) applyMutation(entry.record, mutation);
        entry.offset += scan.validLength;
        if (scan.invalidTail && repair) {
          await handle.truncate(entry.offset);
          await handle.sync();
        }
      }
      if (entry.record.seq === 0) {
        // Only a torn creation record: the execution was never created.
        this.cache.delete(id);
        return undefined;
      }
      this.cache.set(id, entry);
      return entry;
    } finally {
      await handle.close();
    }
  }

  async create(executionId: string, executionName: string, initial: ExecutionMutation): Promise<string> {
    if (!isExecutionId(executionId)) throw new Error(`Not an execution id: ${executionId}`);
    const dir = this.executionDir(executionId);
    await fs.mkdir(dir, { recursive: true });
    await fs.mkdir(join(this.directory, "names"), { recursive: true });
    const log = await fs.open(this.logPath(executionId), "wx");
    try {
      await log.writeFile(encodeLogRecord(initial));
      await log.sync();
    } finally {
      await log.close();
    }
    await syncDirectory(dir);
    await syncDirectory(join(this.directory, "executions"));

    // The execution exists only once its name is claimed; link() makes the claim atomic, so two
    // processes starting the same name agree on one execution.
    const namePath = this.namePath(executionName);
    const temp = `${namePath}.${executionId}.tmp`;
    await fs.writeFile(temp, JSON.stringify({ id: executionId, name: executionName }), { flush: true });
    try {
      await fs.link(temp, namePath);
      await syncDirectory(join(this.directory, "names"));
      return executionId;
    } catch (error) {
      if (!isErrno(error, "EEXIST")) throw error;
      await fs.rm(dir, { recursive: true, force: true });
      const owner = await this.findByName(executionName);
      if (owner === undefined) throw new Error(`Execution name "${executionName}" is claimed but unreadable`);
      return owner;
    } finally {
      await fs.unlink(temp).catch(() => undefined);
    }
  }

  async findByName(executionName: string): Promise<string | undefined> {
    try {
      const entry = JSON.parse(await fs.readFile(this.namePath(executionName), "utf8")) as { id: string; name: string };
      return entry.name === executionName ? entry.id : undefined;
    } catch (error) {
      if (isErrno(error, "ENOENT")) return undefined;
      throw error;
    }
  }

  async listIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(join(this.directory, "names"));
    } catch (error) {
      if (isErrno(error, "ENOENT")) return [];
      throw error;
    }
    const ids: string[] = [];
    for (const name of names) {
      if (name.endsWith(".tmp")) continue;
      const entry = JSON.parse(await fs.readFile(join(this.directory, "names", name), "utf8")) as { id: string };
      if (isExecutionId(entry.id)) ids.push(entry.id);
    }
    return ids.sort();
  }

  async read<T>(executionId: string, view: (record: ExecutionRecord) => T): Promise<T | undefined> {
    if (!isExecutionId(executionId)) return undefined;
    return this.queue.run(executionId, async () => {
      const entry = await this.catchUp(executionId, false);
      return entry === undefined ? undefined : view(entry.record);
    });
  }

  async update<T>(
    executionId: string,
    decide: (record: ExecutionRecord) => StoreDecision<T>,
  ): Promise<StoreUpdate<T> | undefined> {
    if (!isExecutionId(executionId)) return undefined;
    return this.queue.run(executionId, async () => {
      try {
        await fs.access(this.logPath(executionId));
      } catch {
        return undefined;
      }
      const release = await acquireFileLock(join(this.executionDir(executionId), "lock"), {
        timeoutMs: this.lockTimeoutMs,
      });
      try {
        const entry = await this.catchUp(executionId, true);
        if (entry === undefined) return undefined;
        const { mutation, result } = decide(entry.record);
        if (mutation) {
          const bytes = encodeLogRecord(mutation);
          const log = await fs.open(this.logPath(executionId), "a");
          try {
            await log.writeFile(bytes);
            // Acknowledged means on disk: the caller sees success only after fsync.
            await log.sync();
          } finally {
            await log.close();
          }
          applyMutation(entry.record, mutation);
          entry.offset += bytes.length;
        }
        return { result };
      } finally {
        await release();
      }
    });
  }
}
