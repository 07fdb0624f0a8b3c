import { setTimeout as sleep } from "node:timers/promises";
import {
  formatCountdown,
  formatDuration,
  formatErrorObject,
  isTerminal,
  operationDuration,
  operationKind,
  statusSymbol,
} from "./format.js";
import type { Output } from "./output.js";
import type { DurableExecutionService, OrchestratorClock } from "@cairn/sdk/service";
import type { DurableLogRecord } from "@cairn/sdk/backend";
import type { InvocationRecord } from "@cairn/sdk/orchestrator";
import type { Operation } from "@cairn/sdk";

/** Prints each operation once, as the service stores its outcome. */
export class ProgressReporter {
  readonly #reported = new Set<string>();
  /** Retries already announced, keyed by id and attempt. */
  readonly #retries = new Set<string>();

  constructor(private readonly out: Output) {}

  /** Operations finished before this run started are not news. */
  seed(operations: readonly Operation[]): number {
    let finished = 0;
    for (const op of operations) {
      if (op.Type === "EXECUTION" || !isTerminal(op.Status)) continue;
      this.#reported.add(op.Id);
      finished++;
    }
    return finished;
  }

  operationsChanged(operations: readonly Operation[]): void {
    const now = new Date();
    for (const op of operations) {
      if (op.Type === "EXECUTION") continue;
      if (isTerminal(op.Status)) {
        if (this.#reported.has(op.Id)) continue;
        this.#reported.add(op.Id);
        this.out.line(this.#finishedLine(op, now));
      } else if (op.Status === "PENDING" && op.StepDetails?.NextAttemptTimestamp !== undefined) {
        const key = `${op.Id}#${op.StepDetails.Attempt ?? 0}`;
        if (this.#retries.has(key)) continue;
        this.#retries.add(key);
        this.out.line(this.#retryLine(op, now));
      }
    }
  }

  #label(op: Operation): string {
    return `${operationKind(op)}${op.Name === undefined ? "" : ` ${op.Name}`} (${op.Id})`;
  }

  #finishedLine(op: Operation, now: Date): string {
    const { color } = this.out;
    const duration = color.dim(formatDuration(operationDuration(op, now)));
    const attempts = op.Type === "STEP" && (op.StepDetails?.Attempt ?? 1) > 1 ? ` after ${op.StepDetails?.Attempt} attempts` : "";
    const line = `${statusSymbol(op.Status, color)} ${this.#label(op)} ${duration}${attempts}`;
    const error = op.StepDetails?.Error ?? op.ContextDetails?.Error ?? op.CallbackDetails?.Error ?? op.ChainedInvokeDetails?.Error;
    if (op.Status === "SUCCEEDED") return line;
    const outcome = op.Status === "FAILED" ? "" : ` ${op.Status.toLowerCase()}`;
    return `${line}${outcome}${error ? ` — ${color.red(formatErrorObject(error))}` : ""}`;
  }

  #retryLine(op: Operation, now: Date): string {
    const { color } = this.out;
    const next = op.StepDetails?.NextAttemptTimestamp;
    const delay = next === undefined ? "" : ` — retrying in ${formatCountdown(new Date(next).getTime() - now.getTime())}`;
    const error = op.StepDetails?.Error ? `: ${formatErrorObject(op.StepDetails.Error)}` : "";
    return `${color.yellow("↻")} ${this.#label(op)} attempt ${op.StepDetails?.Attempt ?? 1} failed${error}${delay}`;
  }

  invocationEnded(record: InvocationRecord): void {
    if (record.outcome.kind !== "crashed") return;
    this.out.line(
      `${this.out.color.yellow("!")} invocation ${record.invocationNumber} crashed: ${formatErrorObject(record.outcome.error)} — invoking again`,
    );
  }

  log(record: DurableLogRecord): void {
    const { color } = this.out;
    const where = record.operationId === undefined ? "" : ` ${color.dim(`[${record.operationName ?? ""}${record.operationName ? " " : ""}${record.operationId}]`)}`;
    const level = record.level === "ERROR" ? color.red(record.level) : record.level === "WARN" ? color.yellow(record.level) : color.dim(record.level);
    this.out.line(`  ${color.dim("│")} ${level}${where} ${record.message}`);
  }
}

/**
 * The service as the orchestrator sees it, reporting stored checkpoints and fired timers as they
 * happen, so progress shows within an invocation instead of after it.
 */
export function observeService(
  inner: DurableExecutionService,
  onOperationsChanged: (operations: Operation[]) => void,
): DurableExecutionService {
  return {
    startExecution: (params) => inner.startExecution(params),
    beginInvocation: (arn) => inner.beginInvocation(arn),
    endInvocation: (arn, ticket, outcome) => inner.endInvocation(arn, ticket, outcome),
    getExecution: (arn) => inner.getExecution(arn),
    listExecutions: () => inner.listExecutions(),
    getOperations: (arn, options) => inner.getOperations(arn, options),
    getHistory: (arn) => inner.getHistory(arn),
    nextTimer: (arn) => inner.nextTimer(arn),
    wakeAt: (arn) => inner.wakeAt(arn),
    sendCallbackSuccess: (callbackId, payload) => inner.sendCallbackSuccess(callbackId, payload),
    sendCallbackFailure: (callbackId, error) => inner.sendCallbackFailure(callbackId, error),
    sendCallbackHeartbeat: (callbackId) => inner.sendCallbackHeartbeat(callbackId),
    pendingChainedInvokes: (arn) => inner.pendingChainedInvokes(arn),
    async completeChainedInvoke(arn, operationId, outcome) {
      await inner.completeChainedInvoke(arn, operationId, outcome);
      onOperationsChanged(await inner.getOperations(arn, { ids: [operationId] }));
    },
    getExecutionState: (request) => inner.getExecutionState(request),
    async checkpoint(request) {
      const response = await inner.checkpoint(request);
      const ids = [...new Set((request.Updates ?? []).map((update) => update.Id))];
      if (ids.length > 0) onOperationsChanged(await inner.getOperations(request.DurableExecutionArn, { ids }));
      return response;
    },
    async fireDueTimers(arn) {
      const fired = await inner.fireDueTimers(arn);
      if (fired.length > 0) onOperationsChanged(await inner.getOperations(arn, { ids: fired }));
      return fired;
    },
  };
}

/** Says what a timer due at `until` is for, e.g. `"cool-down" (op 4)`. */
export type TimerDescriber = (until: Date) => Promise<string>;

export function describeTimerFrom(
  service: DurableExecutionService,
  executionArn: () => string | undefined,
): TimerDescriber {
  return async (until) => {
    const arn = executionArn();
    if (arn === undefined) return "the next timer";
    const at = until.getTime();
    const matches = (await service.getOperations(arn)).filter((op) => {
      if (isTerminal(op.Status)) return false;
      const end = op.WaitDetails?.ScheduledEndTimestamp ?? op.StepDetails?.NextAttemptTimestamp;
      return end !== undefined && new Date(end).getTime() === at;
    });
    const first = matches[0];
    if (first === undefined) return "the next timer";
    const what = first.Name !== undefined ? `"${first.Name}"` : operationKind(first);
    const retry = first.Type === "STEP" ? `retry of ${operationKind(first)} ` : "";
    const more = matches.length > 1 ? ` and ${matches.length - 1} more` : "";
    return `${retry}${what} (op ${first.Id})${more}`;
  };
}

/**
 * Real time, with a visible countdown while a timer is pending: redrawn every second on a
 * terminal, announced once otherwise.
 */
export class CountdownClock implements OrchestratorClock {
  describeTimer: TimerDescriber = async () => "the next timer";

  constructor(private readonly out: Output) {}

  now(): Date {
    return new Date();
  }

  async sleepUntil(until: Date, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const remaining = () => until.getTime() - Date.now();
    if (remaining() <= 0) return;
    const what = await this.describeTimer(until);
    const { color } = this.out;
    const text = () => `${color.cyan("◷")} waiting ${formatCountdown(remaining())} for ${what}`;
    if (this.out.interactive) this.out.status(text());
    else this.out.line(text());
    try {
      // Whole-second ticks keep the countdown honest; the loop absorbs early timer wake-ups.
      for (let left = remaining(); left > 0; left = remaining()) {
        await sleep(Math.min(left, left % 1000 || 1000), undefined, signal ? { signal } : undefined);
        if (remaining() > 0) this.out.status(text());
      }
    } finally {
      this.out.clearStatus();
    }
  }
}
