// What a worker does with an execution it has claimed: keep the lease renewed, check the record
// says an invocation is wanted (the due index may lag behind it), run one invocation of the
// handler, start or report chained invokes, and release the lease with the due time the record
// now has. Losing the lease midway crashes the invocation: a newer owner carries on.
import {
  ExecutionClosedError,
  StaleCheckpointTokenError,
  nextTimerOf,
  systemClock,
  type CheckpointService,
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

export class InvocationRunner {
  constructor(private readonly parts: InvocationRunnerParts) {}

  /**
   * Handles one claimed execution, `head` being what the claim returned; never rejects (errors go
   * to `report`).
   */
  async run(candidate: DueCandidate, handler: DurableInvocationHandler, head: Head, watch: LeaseWatch): Promise<void> {
    const { store, service, leases, invokes, report } = this.parts;
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
      const now = Date.now();
      // The claim returned the head: a record cached at its seq is current, no read needed.
      const state = await internalsOf(store).readClaimed(executionId, head, (record) => ({
        running: record.summary.status === "RUNNING",
        abandoned: record.invocation !== undefined,
        // Never invoked, or a wake-up is pending (a callback or chained invoke completed).
        woken: record.summary.invocationCount === 0 || record.wakePending === true,
        timerDue: (nextTimerOf(record)?.getTime() ?? Number.POSITIVE_INFINITY) <= now,
        waitsOnInvoke: waitsOnChainedInvoke(record),
        // Blocked by a replay mismatch: invoked at its retry time only, whatever else is due.
        blockedUntil: record.summary.blocked?.retryAt.getTime(),
      }));
      if (!state?.running) return;
      // The index may lag behind the record: only invoke when the record itself says so (a timer
      // fired, it was never invoked or a wake-up is pending, or its last invocation was abandoned).
      const fired = state.timerDue ? await service.fireDueTimers(executionArn) : [];
      const wanted =
        state.blockedUntil !== undefined
          ? state.abandoned || state.blockedUntil <= now
          : fired.length > 0 || state.abandoned || state.woken;
      if (!wanted) {
        // Looked at again while waiting on a chained invoke: complete it if its target has ended.
        if (state.waitsOnInvoke) await invokes.dispatch(executionArn);
        return;
      }
      if (lost) return;
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
          control = invocation;
          if (lost) invocation.crash(LEASE_LOST);
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
      if (!lost) {
        // Start the targets of the invokes it is now waiting on; or, if it was one such target
        // and has ended, tell its parent.
        if (execution.status === "RUNNING") await invokes.dispatch(executionArn);
        else await invokes.reportToParent(execution);
      }
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
}
