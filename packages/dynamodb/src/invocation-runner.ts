// What a worker does with an execution it has claimed: keep the lease renewed, check the record
// says an invocation is wanted (the due index may lag behind it), run one invocation of the
// handler, start or report chained invokes, and release the lease with the due time the record
// now has. Losing the lease midway crashes the invocation: a newer owner carries on.
//
// When the worker has the execution cached and that record wants an invocation, it sends no claim:
// the invocation's first commit (firing its timers, or beginning it) takes the lease, conditioned
// as a claim is and on the cached seq. If that commit cannot (the record moved on, or another
// worker holds the lease) nothing was written, and the worker claims as usual and looks again.
// A new execution (never invoked) that it has not cached is read with one Query first and then
// started the same way.
import {
  ExecutionClosedError,
  StaleCheckpointTokenError,
  nextTimerOf,
  systemClock,
  type CheckpointService,
  type ExecutionRecord,
  type ExecutionSummary,
  type NondeterminismPolicy,
} from "@cairn/sdk/service";
import {
  invokeOnce,
  type DurableInvocationHandler,
  type InvocationControl,
  type InvocationRecord,
} from "@cairn/sdk/orchestrator";
import type { DurableLogRecord } from "@cairn/sdk/backend";
import type { WorkerChainedInvokes } from "./chained-invokes.js";
import { ClaimConflict } from "./commit.js";
import type { DueCandidate } from "./due-index.js";
import { waitsOnChainedInvoke } from "./due-time.js";
import { internalsOf, type DynamoDbCheckpointStore } from "./dynamodb-store.js";
import type { Head } from "./head-item.js";
import type { Leases } from "./lease.js";

const LEASE_LOST = { ErrorType: "Lease.Lost", ErrorMessage: "the worker lost its lease on the execution" };

export interface InvocationRunnerParts {
  store: DynamoDbCheckpointStore;
  service: CheckpointService;
  leases: Leases;
  invokes: WorkerChainedInvokes;
  /** How often the lease is renewed while the invocation runs (ms). */
  renewEveryMs: number;
  /** Reported to handlers through getRemainingTimeInMillis (ms). */
  invocationTimeoutMs: number;
  logSink: ((record: DurableLogRecord) => void) | undefined;
  onInvocation: ((record: InvocationRecord, execution: ExecutionSummary) => void) | undefined;
  /** What a replay mismatch does to the execution. */
  onNondeterminism: NondeterminismPolicy;
  /** Told of each invocation that left its execution blocked by a replay mismatch. */
  onBlocked: (execution: ExecutionSummary) => void;
  /** Where errors go that must not stop the worker. */
  report: (error: unknown, executionArn?: string) => void;
}

/** Tells the runner of a claimed execution that its lease was lost (a reload named another owner). */
export interface LeaseWatch {
  lost: boolean;
  onLost?: (() => void) | undefined;
}

/** The callback a lease is taken with: marks `watch` lost and tells its listener. */
export function leaseLostBy(watch: LeaseWatch): () => void {
  return () => {
    watch.lost = true;
    watch.onLost?.();
  };
}

/** What a record says about invoking its execution now. */
interface InvocationState {
  seq: number;
  running: boolean;
  abandoned: boolean;
  /** Never invoked, or a wake-up is pending (a callback or chained invoke completed). */
  woken: boolean;
  timerDue: boolean;
  waitsOnInvoke: boolean;
  /** Blocked by a replay mismatch: invoked at its retry time only, whatever else is due. */
  blockedUntil: number | undefined;
}

function stateOf(record: ExecutionRecord, now: number): InvocationState {
  return {
    seq: record.seq,
    running: record.summary.status === "RUNNING",
    abandoned: record.invocation !== undefined,
    woken: record.summary.invocationCount === 0 || record.wakePending === true,
    timerDue: (nextTimerOf(record)?.getTime() ?? Number.POSITIVE_INFINITY) <= now,
    waitsOnInvoke: waitsOnChainedInvoke(record),
    blockedUntil: record.summary.blocked?.retryAt.getTime(),
  };
}

/** Whether an invocation is wanted, `fired` saying whether firing the due timers fired any. */
function wantedBy(state: InvocationState, fired: boolean, now: number): boolean {
  return state.blockedUntil !== undefined ? state.abandoned || state.blockedUntil <= now : fired || state.abandoned || state.woken;
}

/**
 * How a run begins: after a claim, with the head it returned; or unclaimed, with the state of the
 * cached record the first commit is to take the lease on.
 */
export type RunStart = { head: Head } | { cached: InvocationState };

export class InvocationRunner {
  constructor(private readonly parts: InvocationRunnerParts) {}

  /**
   * A start without a claim of its own when this process has the execution cached and that record
   * wants an invocation now (no request; the record may be stale, the first commit checks it).
   */
  cachedStart(executionId: string): RunStart | undefined {
    const now = Date.now();
    const cached = this.parts.store.peekCached(executionId, (record) => stateOf(record, now));
    return cached?.running && wantedBy(cached, cached.timerDue, now) ? { cached } : undefined;
  }

  /**
   * A start without a claim for an execution the due index says was never invoked, which this
   * process has not cached: one Query reads it (no GetItem of the head first, see
   * RecordLoader.loadFresh) and the invocation's begin takes the lease, where a claim, a Query and
   * the begin would be three requests. Undefined when the read does not prove it fresh.
   */
  async freshStart(candidate: DueCandidate): Promise<RunStart | undefined> {
    if (!candidate.fresh) return undefined;
    if (!(await internalsOf(this.parts.store).cacheFresh(candidate.executionId))) return undefined;
    return this.cachedStart(candidate.executionId);
  }

  /**
   * Handles one execution, claimed (`start.head` being what the claim returned) or to be claimed
   * by its first commit (`start.cached`); never rejects (errors go to `report`).
   */
  async run(candidate: DueCandidate, handler: DurableInvocationHandler, start: RunStart, watch: LeaseWatch): Promise<void> {
    const { store, leases, report } = this.parts;
    const { executionId, executionArn } = candidate;
    let control: InvocationControl | undefined;
    let lost = watch.lost;
    watch.onLost = () => {
      lost = true;
      control?.crash(LEASE_LOST);
    };
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing
        .then(async () => {
          if (lost) return;
          if (!(await leases.renew(executionId))) {
            lost = true;
            control?.crash(LEASE_LOST);
          }
        })
        .catch((error: unknown) => report(error, executionArn));
    }, this.parts.renewEveryMs);
    try {
      let head: Head;
      if ("cached" in start) {
        const onLost = leaseLostBy(watch);
        leases.claimOnFirstCommit(executionId, start.cached.seq, onLost);
        try {
          await this.invoke(candidate, handler, start.cached, () => lost, (c) => (control = c));
          return;
        } catch (error) {
          if (!(error instanceof ClaimConflict)) throw error;
        }
        // Nothing was written: claim, as without a cached record, and decide on what it returns.
        const claimed = await leases.claim(executionId, onLost);
        if (!claimed) return;
        head = claimed;
      } else head = start.head;
      const now = Date.now();
      // The claim returned the head: a record cached at its seq is current, no read needed.
      const state = await internalsOf(store).readClaimed(executionId, head, (record) => stateOf(record, now));
      if (!state?.running) return;
      await this.invoke(candidate, handler, state, () => lost, (c) => (control = c));
    } catch (error) {
      // Another invocation took over (our lease expired) or the execution ended meanwhile: not an
      // error of this worker, the newer owner carries on.
      if (!(error instanceof StaleCheckpointTokenError || error instanceof ExecutionClosedError)) {
        report(error, executionArn);
      }
    } finally {
      clearInterval(timer);
      await renewing;
      if (!lost) await leases.release(executionId).catch((error: unknown) => report(error, executionArn));
    }
  }

  /**
   * Fires the due timers and runs an invocation if the record says one is wanted. On a record
   * read from the cache without a claim (the lease still to be taken), one that turns out not to
   * want an invocation throws ClaimConflict: a claim must confirm it before anything else is done.
   */
  private async invoke(
    candidate: DueCandidate,
    handler: DurableInvocationHandler,
    state: InvocationState,
    isLost: () => boolean,
    setControl: (control: InvocationControl) => void,
  ): Promise<void> {
    const { store, service, invokes, report } = this.parts;
    const { executionId, executionArn } = candidate;
    const now = Date.now();
    const claiming = internalsOf(store).heldLease(executionId)?.state === "claiming";
    // Unclaimed, the timers' firing is written by the commit that begins the invocation (which
    // takes the lease): one write for both. Nobody sees them fired before it; if it fails, nothing
    // of either was written and the claim that follows fires them again.
    if (claiming && state.timerDue) internalsOf(store).deferNextUpdate(executionId);
    // The index may lag behind the record: only invoke when the record itself says so (a timer
    // fired, it was never invoked or a wake-up is pending, or its last invocation was abandoned).
    const fired = state.timerDue ? await service.fireDueTimers(executionArn) : [];
    if (!wantedBy(state, fired.length > 0, now)) {
      if (claiming) throw new ClaimConflict(executionId);
      // Looked at again while waiting on a chained invoke: complete it if its target has ended.
      if (state.waitsOnInvoke) await invokes.dispatch(executionArn);
      return;
    }
    if (isLost()) return;
    const { record, execution } = await invokeOnce({
      service,
      clock: systemClock,
      handler,
      executionArn,
      invocationNumber: 1,
      functionName: candidate.functionName,
      logSink: this.parts.logSink,
      invocationTimeoutMs: this.parts.invocationTimeoutMs,
      onNondeterminism: this.parts.onNondeterminism,
      wrapBackend: (backend, invocation) => {
        setControl(invocation);
        if (isLost()) invocation.crash(LEASE_LOST);
        return backend;
      },
    });
    this.parts.onInvocation?.(record, execution);
    if (record.outcome.kind === "returned" && record.outcome.blockedBy !== undefined && execution.blocked) {
      try {
        this.parts.onBlocked(execution);
      } catch (error) {
        report(error, executionArn);
      }
    }
    if (!isLost()) {
      // Start the targets of the invokes it is now waiting on; or, if it was one such target
      // and has ended, tell its parent.
      if (execution.status === "RUNNING") await invokes.dispatch(executionArn);
      else await invokes.reportToParent(execution);
    }
  }
}
