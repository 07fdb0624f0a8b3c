// createWorker's options checked and completed with their defaults, so that a mistake fails at
// start-up with a message naming the option instead of in the poll loop.
import type { DurableInvocationHandler } from "@cairn/sdk/orchestrator";
import type { NondeterminismPolicy } from "@cairn/sdk/service";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { shownValue } from "@cairn/sdk/backend";
import { retryPolicyOf, type RetryPolicy } from "./retry.js";
import { shardCountsOf } from "./table.js";
import type { WorkerOptions } from "./worker.js";

export interface WorkerSettings {
  handlers: Record<string, DurableInvocationHandler>;
  concurrency: number;
  leaseMs: number;
  renewEveryMs: number;
  pollIntervalMs: number;
  shards: number;
  workerId: string;
  /** Claims, renewals and due-index reads follow the same retry policy as the store's own calls. */
  retry: RetryPolicy;
  invocationTimeoutMs: number;
  onNondeterminism: NondeterminismPolicy;
}

/** Throws TypeError for missing or non-function handlers, RangeError for a bad number. */
export function workerSettingsOf(options: WorkerOptions): WorkerSettings {
  const { table, handlers } = options;
  if (!handlers || typeof handlers !== "object" || Object.keys(handlers).length === 0) {
    throw new TypeError("createWorker: handlers must map at least one handler name to a durable handler.");
  }
  for (const [name, handler] of Object.entries(handlers)) {
    if (typeof handler !== "function") throw new TypeError(`createWorker: handlers.${name} is not a function.`);
  }
  const concurrency = positiveInteger("concurrency", options.concurrency ?? 4);
  const leaseMs = positiveInteger("leaseMs", options.leaseMs ?? 60_000);
  const renewEveryMs = positiveInteger("renewEveryMs", options.renewEveryMs ?? Math.max(1, Math.floor(leaseMs / 3)));
  const pollIntervalMs = positiveInteger("pollIntervalMs", options.pollIntervalMs ?? 1_000);
  const invocationTimeoutMs = positiveInteger("invocationTimeoutMs", options.invocationTimeoutMs ?? 15 * 60 * 1000);
  // Allowed (a test may stand in for a stalled worker this way), but almost surely a mistake.
  if (renewEveryMs >= leaseMs) {
    process.emitWarning(
      `createWorker: renewEveryMs (${renewEveryMs}) is not below leaseMs (${leaseMs}): a lease runs out before it is renewed, ` +
        "so another worker may take over an execution that is still running and run its steps again. Renew well within the lease (the default is a third of it).",
      "CairnWorkerWarning",
    );
  }
  // The lease is told apart by this id: an empty one (an unset setting) is refused, not shared.
  if (options.workerId !== undefined && (typeof options.workerId !== "string" || options.workerId === "")) {
    throw new TypeError(`createWorker: workerId must be a non-empty string, got ${JSON.stringify(options.workerId)}`);
  }
  return {
    handlers,
    concurrency,
    leaseMs,
    renewEveryMs,
    pollIntervalMs,
    shards: shardCountsOf(table).dueShards,
    workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    retry: retryPolicyOf("createWorker: store.retry", options.store?.retry),
    invocationTimeoutMs,
    onNondeterminism: policyOf(options.onNondeterminism),
  };
}

function policyOf(value: NondeterminismPolicy | undefined): NondeterminismPolicy {
  if (value === undefined) return "block";
  if (value !== "block" && value !== "fail") {
    throw new TypeError(`createWorker: onNondeterminism must be "block" or "fail", got ${JSON.stringify(value)}`);
  }
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`createWorker: ${name} must be a positive integer, got ${shownValue(value)}`);
  return value;
}
