// The worker's loop: fill free slots with claimed due executions, each run by InvocationRunner;
// when nothing is claimable, wait for the poll interval (or less, when a full worker frees a
// slot). runOnce is the same loop ending when nothing is left, for a scheduled Lambda.
import { CheckpointService, systemClock, type ExecutionSummary } from "@cairn/sdk/service";
import type { DurableInvocationHandler } from "@cairn/sdk/orchestrator";
import { setTimeout as sleep } from "node:timers/promises";
import { shownValue } from "@cairn/sdk/backend";
import { WorkerChainedInvokes } from "./chained-invokes.js";
import { DueIndex, type DueCandidate } from "./due-index.js";
import { DynamoDbCheckpointStore } from "./dynamodb-store.js";
import { InvocationRunner, leaseLostBy, type LeaseWatch } from "./invocation-runner.js";
import { Leases } from "./lease.js";
import { TableRequests } from "./table-requests.js";
import type { RunOnceResult, Worker, WorkerOptions } from "./worker.js";
import { workerSettingsOf, type WorkerSettings } from "./worker-settings.js";

/** How long candidates from one look at the due index are worth trying before looking again. */
const CANDIDATES_FRESH_MS = 1_000;

export class DynamoDbWorker implements Worker {
  readonly workerId: string;
  readonly store: DynamoDbCheckpointStore;
  private readonly settings: WorkerSettings;
  private readonly dueIndex: DueIndex;
  private readonly leases: Leases;
  private readonly runner: InvocationRunner;
  private readonly active = new Map<string, Promise<void>>();
  private running: Promise<void> | undefined;
  private stopping = new AbortController();
  private readonly warnedHandlers = new Set<string>();
  private spare: { at: number; candidates: DueCandidate[]; complete: boolean } = { at: 0, candidates: [], complete: false };

  constructor(private readonly options: WorkerOptions) {
    const settings = workerSettingsOf(options);
    this.settings = settings;
    this.workerId = settings.workerId;
    // The cache holds at least every record the worker runs at once, so that a checkpoint never
    // finds its record evicted by another invocation's and has to read it back.
    const cacheSize = options.store?.cacheSize ?? Math.max(256, 2 * settings.concurrency);
    this.store = new DynamoDbCheckpointStore(options.table, { ...options.store, cacheSize, invocationLeaseMs: settings.leaseMs });
    const requests = new TableRequests(options.table, settings.retry);
    this.dueIndex = new DueIndex(requests, settings.shards);
    this.leases = new Leases(requests, this.store, settings);
    const service = new CheckpointService({ store: this.store, clock: systemClock });
    this.runner = new InvocationRunner({
      store: this.store,
      service,
      leases: this.leases,
      invokes: new WorkerChainedInvokes(service, settings.handlers, (parentId) =>
        this.store.read(parentId, (record) => record.summary.executionArn),
      ),
      renewEveryMs: settings.renewEveryMs,
      invocationTimeoutMs: settings.invocationTimeoutMs,
      logSink: options.logSink,
      onInvocation: options.onInvocation,
      onNondeterminism: settings.onNondeterminism,
      onBlocked: options.onBlocked ?? warnBlocked,
      report: (error, executionArn) => this.report(error, executionArn),
    });
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
    const deadline = deadlineOf(options.deadline);
    while (Date.now() < deadline) {
      // Once nothing runs, look at the index itself before giving up: whatever became due while
      // the last invocations ran is handled by this call, not the next one.
      const started = await this.fillSlots(this.active.size === 0);
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
      const freed = this.active.size >= this.settings.concurrency ? Promise.race(this.active.values()) : new Promise(() => {});
      await Promise.race([sleep(this.settings.pollIntervalMs, undefined, { signal }).catch(() => undefined), freed]);
    }
  }

  /**
   * Claims due executions into free slots; returns how many it started. `look` forces a look at
   * the index even when the last one saw everything due a moment ago.
   */
  private async fillSlots(look = false): Promise<number> {
    const free = this.settings.concurrency - this.active.size;
    if (free <= 0) return 0;
    await this.store.checkSettings();
    // Candidates left over from the last look at the index, while recent, before looking again:
    // under a backlog a slot that frees up costs one claim, not a query of every shard. A stale
    // candidate only costs a failed claim (the claim re-checks due time and lease).
    const age = Date.now() - this.spare.at;
    const fresh = age < CANDIDATES_FRESH_MS ? this.spare.candidates : [];
    let started = await this.claimInto(fresh, free);
    // A look that read every shard to its end, within the poll interval, saw everything due then:
    // looking again at once (right after claiming what it found) would find nothing new.
    const seenAll = !look && this.spare.complete && age < Math.min(CANDIDATES_FRESH_MS, this.settings.pollIntervalMs);
    if (started < free && !seenAll) {
      const found = await this.dueIndex.find(Math.max(free * 2, 10));
      this.spare = { at: Date.now(), ...found };
      started += await this.claimInto(this.spare.candidates, free - started);
    }
    return started;
  }

  /** Claims up to `free` of `candidates` (removing each one tried) and starts their invocations. */
  private async claimInto(candidates: DueCandidate[], free: number): Promise<number> {
    let started = 0;
    while (started < free && candidates.length > 0) {
      const candidate = candidates.shift()!;
      if (this.active.has(candidate.executionId)) continue;
      const handler: DurableInvocationHandler | undefined =
        candidate.functionName === undefined ? undefined : this.settings.handlers[candidate.functionName];
      if (!handler) {
        // Another worker (e.g. a newer deployment) may have it; leave the execution alone.
        if (!this.warnedHandlers.has(candidate.functionName ?? "")) {
          this.warnedHandlers.add(candidate.functionName ?? "");
          this.report(new Error(`No handler named "${candidate.functionName}" in this worker; its executions are left to other workers.`), candidate.executionArn);
        }
        continue;
      }
      const watch: LeaseWatch = { lost: false };
      // An execution this worker has cached, whose cached record wants an invocation, is claimed
      // by the invocation's first commit (the runner claims as below if that fails); so is a new
      // one, once read.
      let start = this.runner.cachedStart(candidate.executionId) ?? (await this.runner.freshStart(candidate));
      if (!start) {
        const head = await this.leases.claim(candidate.executionId, leaseLostBy(watch));
        if (!head) continue;
        start = { head };
      }
      const work = this.runner.run(candidate, handler, start, watch).finally(() => this.active.delete(candidate.executionId));
      this.active.set(candidate.executionId, work);
      started++;
    }
    return started;
  }

  private report(error: unknown, executionArn?: string): void {
    if (this.options.onError) this.options.onError(error, executionArn);
    else console.error(`[cairn worker ${this.workerId}]${executionArn ? ` ${executionArn}:` : ""}`, error);
  }
}

/** The worker's default report of an execution left blocked by a replay mismatch. */
function warnBlocked(execution: ExecutionSummary): void {
  const { blocked } = execution;
  if (!blocked) return;
  console.warn(
    `cairn worker: execution ${execution.executionArn} is blocked: its replay diverged at operation ` +
      `${blocked.operationId} (attempt ${blocked.attempts}, next retry ${blocked.retryAt.toISOString()}). ` +
      `${blocked.message} Deploy fixed or reverted handler code (it is retried with backoff), or end it with the client's fail().`,
  );
}

/** Epoch milliseconds before 2001-09-09 (1e12): surely a duration passed where a time belongs. */
const EARLIEST_DEADLINE = 1e12;

/**
 * runOnce's deadline, checked: NaN would end the call at once having done nothing, and so would a
 * duration (`getRemainingTimeInMillis()` alone) — a scheduled worker that silently never works.
 */
function deadlineOf(deadline: number | undefined): number {
  if (deadline === undefined) return Number.POSITIVE_INFINITY;
  if (typeof deadline !== "number" || Number.isNaN(deadline)) {
    throw new TypeError(`runOnce: deadline must be a time in epoch milliseconds (Date.now() + ...), got ${shownValue(deadline)}.`);
  }
  if (deadline < EARLIEST_DEADLINE) {
    throw new RangeError(
      `runOnce: deadline must be a time in epoch milliseconds, got ${deadline}, which looks like a duration: ` +
        `pass Date.now() + ${deadline} - <a margin> instead.`,
    );
  }
  return deadline;
}

