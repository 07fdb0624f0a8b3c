// A pool of workers sharing one table: each finds due executions in the due index, takes a lease
// on one (a conditional write on its head item), runs one invocation with the execution's handler
// and releases it. A worker that dies simply stops renewing; once its lease expires another worker
// takes the execution over, and beginning a new invocation fences off whatever the dead one might
// still send.
import { QueryCommand, UpdateItemCommand, type AttributeValue, type UpdateItemCommandInput } from "@aws-sdk/client-dynamodb";
import {
  CheckpointService,
  ExecutionClosedError,
  StaleCheckpointTokenError,
  invokeOnce,
  nextTimerOf,
  systemClock,
  type DurableInvocationHandler,
  type DurableLogRecord,
  type ExecutionSummary,
  type ExecutionRecord,
  type InvocationControl,
  type InvocationRecord,
} from "@cairn/sdk";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { WorkerChainedInvokes } from "./chained-invokes.js";
import { dueAtOf, waitsOnChainedInvoke } from "./due-time.js";
import { DynamoDbCheckpointStore, type DynamoDbCheckpointStoreOptions } from "./dynamodb-store.js";
import { headKey } from "./item-layout.js";
import { DEFAULT_RETRY_POLICY, isConditionFailure, withRetry, type RetryPolicy } from "./retry.js";
import { A, DUE_INDEX, dueShardOf, dueShardsOf, type CairnTable } from "./table.js";

export interface WorkerOptions {
  table: CairnTable;
  /** Handlers by name; an execution runs the handler named by `start({ handlerName })`. */
  handlers: Record<string, DurableInvocationHandler>;
  /** Invocations this worker runs at once (default 4). */
  concurrency?: number | undefined;
  /**
   * How long a lease lasts without renewal (default 60 s). A crashed worker's executions wait this
   * long before another worker takes them over. Every worker on a table should use the same value.
   */
  leaseMs?: number | undefined;
  /** How often a held lease is renewed (default a third of leaseMs). */
  renewEveryMs?: number | undefined;
  /** Pause between looks at the due index when nothing was due (default 1000 ms). */
  pollIntervalMs?: number | undefined;
  /** Identifies this worker in leases (default host, pid and a random suffix). */
  workerId?: string | undefined;
  /** Reported to handlers through getRemainingTimeInMillis (default 15 minutes). */
  invocationTimeoutMs?: number | undefined;
  /** Errors that do not stop the worker (a failed claim, an unknown handler, DynamoDB outages). */
  onError?: ((error: unknown, executionArn?: string) => void) | undefined;
  /** Called after each invocation the worker ran. */
  onInvocation?: ((record: InvocationRecord, execution: ExecutionSummary) => void) | undefined;
  logSink?: ((record: DurableLogRecord) => void) | undefined;
  store?: Omit<DynamoDbCheckpointStoreOptions, "invocationLeaseMs"> | undefined;
}

export interface RunOnceResult {
  /** Executions this call took a lease on and handled. */
  handled: number;
}

export interface Worker {
  readonly workerId: string;
  readonly store: DynamoDbCheckpointStore;
  /** Starts polling in the background until stop(). */
  start(): void;
  /** Stops taking new work and waits for the invocations in flight to finish. */
  stop(): Promise<void>;
  /**
   * Handles everything due now (for a scheduled Lambda): claims due executions, up to
   * `concurrency` at a time, until none is left or `deadline` (epoch ms) is near.
   */
  runOnce(options?: { deadline?: number | undefined }): Promise<RunOnceResult>;
}

interface Candidate {
  executionId: string;
  executionArn: string;
  functionName: string | undefined;
}

/** How long candidates from one look at the due index are worth trying before looking again. */
const CANDIDATES_FRESH_MS = 1_000;

const LEASE_LOST = { ErrorType: "Lease.Lost", ErrorMessage: "the worker lost its lease on the execution" };

export function createWorker(options: WorkerOptions): Worker {
  return new DynamoDbWorker(options);
}

class DynamoDbWorker implements Worker {
  readonly workerId: string;
  readonly store: DynamoDbCheckpointStore;
  private readonly retry: RetryPolicy;
  private readonly service: CheckpointService;
  private readonly table: CairnTable;
  private readonly handlers: Record<string, DurableInvocationHandler>;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly renewEveryMs: number;
  private readonly pollIntervalMs: number;
  private readonly shards: number;
  private readonly active = new Map<string, Promise<void>>();
  private running: Promise<void> | undefined;
  private stopping = new AbortController();
  private readonly warnedHandlers = new Set<string>();
  private readonly invokes: WorkerChainedInvokes;
  private spare: { at: number; candidates: Candidate[] } = { at: 0, candidates: [] };

  constructor(private readonly options: WorkerOptions) {
    const { table, handlers } = options;
    if (!handlers || typeof handlers !== "object" || Object.keys(handlers).length === 0) {
      throw new TypeError("createWorker: handlers must map at least one handler name to a durable handler.");
    }
    for (const [name, handler] of Object.entries(handlers)) {
      if (typeof handler !== "function") throw new TypeError(`createWorker: handlers.${name} is not a function.`);
    }
    this.concurrency = positiveInteger("concurrency", options.concurrency ?? 4);
    this.leaseMs = positiveInteger("leaseMs", options.leaseMs ?? 60_000);
    this.renewEveryMs = positiveInteger("renewEveryMs", options.renewEveryMs ?? Math.max(1, Math.floor(this.leaseMs / 3)));
    this.pollIntervalMs = positiveInteger("pollIntervalMs", options.pollIntervalMs ?? 1_000);
    this.table = table;
    this.handlers = handlers;
    this.shards = dueShardsOf(table);
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    // Claims, renewals and due-index reads follow the same retry policy as the store's own calls.
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.store?.retry };
    this.store = new DynamoDbCheckpointStore(table, { ...options.store, invocationLeaseMs: this.leaseMs });
    this.service = new CheckpointService({ store: this.store, clock: systemClock });
    this.invokes = new WorkerChainedInvokes(this.service, handlers, (parentId) =>
      this.store.read(parentId, (record) => record.summary.executionArn),
    );
  }

  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    this.running = this.loop(this.stopping.signal);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    this.running = undefined;
    await Promise.allSettled(this.active.values());
  }

  async runOnce(options: { deadline?: number | undefined } = {}): Promise<RunOnceResult> {
    let handled = 0;
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    while (Date.now() < deadline) {
      const started = await this.fillSlots();
      handled += started;
      if (started === 0) {
        if (this.active.size === 0) break;
        await Promise.race(this.active.values());
      }
    }
    await Promise.allSettled(this.active.values());
    return { handled };
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let started = 0;
      try {
        started = await this.fillSlots();
      } catch (error) {
        this.report(error);
      }
      if (started > 0) continue;
      // Nothing claimable: wait for the poll interval, or less when a slot frees up while full.
      const freed = this.active.size >= this.concurrency ? Promise.race(this.active.values()) : new Promise(() => {});
      await Promise.race([sleep(this.pollIntervalMs, undefined, { signal }).catch(() => undefined), freed]);
    }
  }

  /** Claims due executions into free slots; returns how many it started. */
  private async fillSlots(): Promise<number> {
    const free = this.concurrency - this.active.size;
    if (free <= 0) return 0;
    // Candidates left over from the last look at the index, while recent, before looking again:
    // under a backlog a slot that frees up costs one claim, not a query of every shard. A stale
    // candidate only costs a failed claim (the claim re-checks due time and lease).
    const fresh = Date.now() - this.spare.at < CANDIDATES_FRESH_MS ? this.spare.candidates : [];
    let started = await this.claimInto(fresh, free);
    if (started < free) {
      this.spare = { at: Date.now(), candidates: await this.findDue(Math.max(free * 2, 10)) };
      started += await this.claimInto(this.spare.candidates, free - started);
    }
    return started;
  }

  /** Claims up to `free` of `candidates` (removing each one tried) and starts their invocations. */
  private async claimInto(candidates: Candidate[], free: number): Promise<number> {
    let started = 0;
    while (started < free && candidates.length > 0) {
      const candidate = candidates.shift()!;
      if (this.active.has(candidate.executionId)) continue;
      const handler = candidate.functionName === undefined ? undefined : this.handlers[candidate.functionName];
      if (!handler) {
        // Another worker (e.g. a newer deployment) may have it; leave the execution alone.
        if (!this.warnedHandlers.has(candidate.functionName ?? "")) {
          this.warnedHandlers.add(candidate.functionName ?? "");
          this.report(new Error(`No handler named "${candidate.functionName}" in this worker; its executions are left to other workers.`), candidate.executionArn);
        }
        continue;
      }
      if (!(await this.claim(candidate.executionId))) continue;
      const work = this.handle(candidate, handler).finally(() => this.active.delete(candidate.executionId));
      this.active.set(candidate.executionId, work);
      started++;
    }
    return started;
  }

  /**
   * Due executions whose lease is free, from every shard of the due index. The shards are queried
   * at once (a poll costs one round trip, not one per shard); the candidates are shuffled so that
   * workers polling at the same moment try different executions instead of racing for one.
   */
  private async findDue(limit: number): Promise<Candidate[]> {
    const now = Date.now();
    const found = (await Promise.all(Array.from({ length: this.shards }, (_, i) => this.queryShard(`DUE#${i}`, now, limit)))).flat();
    for (let i = found.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [found[i], found[j]] = [found[j]!, found[i]!];
    }
    return found.slice(0, limit);
  }

  private async queryShard(shard: string, now: number, limit: number): Promise<Candidate[]> {
    const page = await withRetry("Query(due-index)", this.table.tableName, this.retry, () =>
      this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: "#shard = :shard AND #due <= :now",
          FilterExpression: "attribute_not_exists(#lease) OR #lease < :now",
          ExpressionAttributeNames: { "#shard": A.dueShard, "#due": A.dueAt, "#lease": A.leaseUntil },
          ExpressionAttributeValues: { ":shard": { S: shard }, ":now": { N: String(now) } },
          Limit: Math.max(limit * 2, 10),
        }),
      ),
    );
    const found: Candidate[] = [];
    for (const item of page.Items ?? []) {
      const pk = item[A.pk]?.S ?? "";
      const arn = item[A.executionArn]?.S;
      if (!pk.startsWith("X#") || !arn) continue;
      found.push({ executionId: pk.slice(2), executionArn: arn, functionName: item[A.functionName]?.S });
    }
    return found;
  }

  /** A conditional write of the execution's head item; false when its condition does not hold. */
  private async updateHeadIf(
    operation: string,
    executionId: string,
    update: Omit<UpdateItemCommandInput, "TableName" | "Key">,
  ): Promise<boolean> {
    try {
      await withRetry(operation, this.table.tableName, this.retry, () =>
        this.table.client.send(new UpdateItemCommand({ TableName: this.table.tableName, Key: headKey(executionId), ...update })),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Takes the lease if it is free (or already ours) and the execution is still due. */
  private claim(executionId: string): Promise<boolean> {
    const now = Date.now();
    return this.updateHeadIf("UpdateItem(claim)", executionId, {
      UpdateExpression: "SET #owner = :me, #lease = :until",
      ConditionExpression: "attribute_exists(#due) AND #due <= :now AND (attribute_not_exists(#lease) OR #lease < :now OR #owner = :me)",
      ExpressionAttributeNames: { "#owner": A.leaseOwner, "#lease": A.leaseUntil, "#due": A.dueAt },
      ExpressionAttributeValues: {
        ":me": { S: this.workerId },
        ":until": { N: String(now + this.leaseMs) },
        ":now": { N: String(now) },
      },
    });
  }

  /** Extends our lease; false when it is no longer ours. */
  private renew(executionId: string): Promise<boolean> {
    return this.updateHeadIf("UpdateItem(renew lease)", executionId, {
      UpdateExpression: "SET #lease = :until",
      ConditionExpression: "#owner = :me",
      ExpressionAttributeNames: { "#owner": A.leaseOwner, "#lease": A.leaseUntil },
      ExpressionAttributeValues: { ":me": { S: this.workerId }, ":until": { N: String(Date.now() + this.leaseMs) } },
    });
  }

  /**
   * Gives the lease up and puts the execution's due time back to what its record says (claims and
   * a running invocation move it). Conditioned on the record not having changed since it was read,
   * so it never overrides a due time a newer write computed.
   */
  private async release(executionId: string): Promise<void> {
    const dueOf = (record: ExecutionRecord) => ({
      seq: record.seq,
      // An invocation still recorded is over (we ran it): due for whoever comes next.
      due: record.summary.status === "RUNNING" && record.invocation ? Date.now() : dueAtOf(record, Date.now(), this.leaseMs),
    });
    for (let attempt = 0; attempt < 5; attempt++) {
      // The first attempt decides on this process's cached record without reading: the write is
      // conditioned on its seq, so a stale cache costs a failed condition, never a wrong due time.
      const state = (attempt === 0 ? this.store.peekCached(executionId, dueOf) : undefined) ?? (await this.store.read(executionId, dueOf));
      if (!state) return;
      const values: Record<string, AttributeValue> = { ":me": { S: this.workerId }, ":seq": { N: String(state.seq) } };
      let update = "REMOVE #owner, #lease";
      if (state.due === undefined) update += ", #due, #shard";
      else {
        update = `SET #due = :due, #shard = :shard ${update}`;
        values[":due"] = { N: String(state.due) };
        values[":shard"] = { S: dueShardOf(executionId, this.shards) };
      }
      const released = await this.updateHeadIf("UpdateItem(release lease)", executionId, {
        UpdateExpression: update,
        ConditionExpression: "#owner = :me AND #seq = :seq",
        ExpressionAttributeNames: {
          "#owner": A.leaseOwner,
          "#lease": A.leaseUntil,
          "#due": A.dueAt,
          "#shard": A.dueShard,
          "#seq": A.seq,
        },
        ExpressionAttributeValues: values,
      });
      if (released) return;
      // Either the lease is gone (nothing to do) or the record moved on: read it again.
      if (!(await this.renew(executionId))) return;
    }
  }

  private async handle(candidate: Candidate, handler: DurableInvocationHandler): Promise<void> {
    const { executionId, executionArn } = candidate;
    let control: InvocationControl | undefined;
    let lost = false;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing
        .then(async () => {
          if (lost) return;
          if (!(await this.renew(executionId))) {
            lost = true;
            control?.crash(LEASE_LOST);
          }
        })
        .catch((error: unknown) => this.report(error, executionArn));
    }, this.renewEveryMs);
    try {
      const now = Date.now();
      const state = await this.store.read(executionId, (record) => ({
        running: record.summary.status === "RUNNING",
        abandoned: record.invocation !== undefined,
        // Never invoked, or a wake-up is pending (a callback or chained invoke completed).
        woken: record.summary.invocationCount === 0 || record.wakePending === true,
        timerDue: (nextTimerOf(record)?.getTime() ?? Number.POSITIVE_INFINITY) <= now,
        waitsOnInvoke: waitsOnChainedInvoke(record),
      }));
      if (!state?.running) return;
      // The index may lag behind the record: only invoke when the record itself says so (a timer
      // fired, it was never invoked or a wake-up is pending, or its last invocation was abandoned).
      const fired = state.timerDue ? await this.service.fireDueTimers(executionArn) : [];
      const wanted = fired.length > 0 || state.abandoned || state.woken;
      if (!wanted) {
        // Looked at again while waiting on a chained invoke: complete it if its target has ended.
        if (state.waitsOnInvoke) await this.invokes.dispatch(executionArn);
        return;
      }
      if (lost) return;
      const { record, execution } = await invokeOnce({
        service: this.service,
        clock: systemClock,
        handler,
        executionArn,
        invocationNumber: 1,
        functionName: candidate.functionName,
        logSink: this.options.logSink,
        invocationTimeoutMs: this.options.invocationTimeoutMs ?? 15 * 60 * 1000,
        wrapBackend: (backend, invocation) => {
          control = invocation;
          if (lost) invocation.crash(LEASE_LOST);
          return backend;
        },
      });
      this.options.onInvocation?.(record, execution);
      if (!lost) {
        // Start the targets of the invokes it is now waiting on; or, if it was one such target
        // and has ended, tell its parent.
        if (execution.status === "RUNNING") await this.invokes.dispatch(executionArn);
        else await this.invokes.reportToParent(execution);
      }
    } catch (error) {
      // Another invocation took over (our lease expired) or the execution ended meanwhile: not an
      // error of this worker, the newer owner carries on.
      if (!(error instanceof StaleCheckpointTokenError || error instanceof ExecutionClosedError)) {
        this.report(error, executionArn);
      }
    } finally {
      clearInterval(timer);
      await renewing;
      if (!lost) await this.release(executionId).catch((error: unknown) => this.report(error, executionArn));
    }
  }

  private report(error: unknown, executionArn?: string): void {
    if (this.options.onError) this.options.onError(error, executionArn);
    else console.error(`[cairn worker ${this.workerId}]${executionArn ? ` ${executionArn}:` : ""}`, error);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`createWorker: ${name} must be a positive integer, got ${value}`);
  return value;
}
