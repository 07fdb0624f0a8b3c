// A pool of workers sharing one table: each finds due executions in the due index (due-index.ts),
// takes a lease on one (lease.ts), runs one invocation with the execution's handler
// (invocation-runner.ts) and releases it; poll-loop.ts ties these together. A worker that dies
// simply stops renewing; once its lease expires another worker takes the execution over, and
// beginning a new invocation fences off whatever the dead one might still send.
import type { ExecutionSummary, NondeterminismPolicy } from "@cairn/sdk/service";
import type { DurableInvocationHandler, InvocationRecord } from "@cairn/sdk/orchestrator";
import type { DurableLogRecord } from "@cairn/sdk/backend";
import type { DynamoDbCheckpointStore, DynamoDbCheckpointStoreOptions } from "./dynamodb-store.js";
import { DynamoDbWorker } from "./poll-loop.js";
import type { CairnTable } from "./table.js";

/** Settings of {@link createWorker}. `table` and `handlers` are required; the rest have defaults. */
export interface WorkerOptions {
  /** The table to take work from (the same one the client starts executions on). */
  table: CairnTable;
  /**
   * Handlers by name (`withDurableExecution` handlers); an execution runs the handler named by
   * `start({ handlerName })`, and `ctx.invoke` targets name one too. An execution whose handler
   * this worker lacks is left to other workers.
   */
  handlers: Record<string, DurableInvocationHandler>;
  /** Invocations this worker runs at once (default 4). */
  concurrency?: number | undefined;
  /**
   * How long a lease lasts without renewal, in milliseconds (default 60 000). A crashed worker's
   * executions wait this long before another worker takes them over. Every worker on a table
   * should use the same value.
   */
  leaseMs?: number | undefined;
  /**
   * How often a held lease is renewed, in milliseconds (default a third of `leaseMs`). At or above
   * `leaseMs` the lease runs out between renewals; the worker warns (`CairnWorkerWarning`).
   */
  renewEveryMs?: number | undefined;
  /** Pause between looks at the due index when nothing was due, in milliseconds (default 1000). */
  pollIntervalMs?: number | undefined;
  /** Identifies this worker in leases and error lines (default `<host>:<pid>:<random suffix>`). */
  workerId?: string | undefined;
  /** Reported to handlers through `getRemainingTimeInMillis`, in milliseconds (default 15 minutes). */
  invocationTimeoutMs?: number | undefined;
  /**
   * Receives the errors that do not stop the worker (a failed claim, an unknown handler, a
   * DynamoDB outage), with the execution's ARN when one is concerned. Default: `console.error`.
   */
  onError?: ((error: unknown, executionArn?: string) => void) | undefined;
  /** Called after each invocation the worker ran, with its record and the execution's summary after it. */
  onInvocation?: ((record: InvocationRecord, execution: ExecutionSummary) => void) | undefined;
  /**
   * What a replay mismatch (a NonDeterministicExecutionError: the handler no longer calls the
   * operations the execution's checkpoints recorded, e.g. after a deploy) does to the execution.
   * `"block"` (the default): it stays RUNNING, its summary's `blocked` names the diverging operation,
   * and it is retried after 1 s, then a doubling delay capped at 5 minutes, so deploying fixed or
   * reverted code carries it on; `CairnClient.fail` or `stop` ends it on purpose. `"fail"`: it
   * FAILS, as on AWS Lambda.
   */
  onNondeterminism?: NondeterminismPolicy | undefined;
  /**
   * Called each time an invocation leaves its execution blocked by a replay mismatch (see
   * `onNondeterminism`), with the summary after it: count it in your metrics, alert on it. Default:
   * a warning line on stderr naming the execution, the operation, the attempts and the next retry.
   */
  onBlocked?: ((execution: ExecutionSummary) => void) | undefined;
  /**
   * Receives the handlers' log records (`ctx.logger`); when set, the default log lines are not
   * written to stdout/stderr.
   */
  logSink?: ((record: DurableLogRecord) => void) | undefined;
  /**
   * Settings of the worker's checkpoint store; its invocation lease is `leaseMs`, and its cache holds
   * at least `2 × concurrency` records unless `cacheSize` says otherwise.
   */
  store?: Omit<DynamoDbCheckpointStoreOptions, "invocationLeaseMs"> | undefined;
}

/** What {@link Worker.runOnce} did. */
export interface RunOnceResult {
  /**
   * Executions this call took a lease on and handled (counting those it went to claim with the
   * invocation's first write, from its cached record, even if that write and the claim after it lost
   * to another worker).
   */
  handled: number;
}

/**
 * One worker of the pool, made by {@link createWorker}. Run it as a long-lived process
 * (`start`/`stop`) or from a scheduled function (`runOnce`).
 */
export interface Worker {
  /** This worker's id, as written in the leases it holds. */
  readonly workerId: string;
  /** The worker's checkpoint store (e.g. to read an execution the way the worker sees it). */
  readonly store: DynamoDbCheckpointStore;
  /**
   * Starts polling in the background until {@link Worker.stop}; calling it again while running
   * does nothing. Errors go to `onError`, never to the caller.
   */
  start(): void;
  /** Stops taking new work and resolves once the invocations in flight have finished. */
  stop(): Promise<void>;
  /**
   * Handles everything due now (for a scheduled Lambda): claims due executions, up to
   * `concurrency` at a time, until none is left or `deadline` (epoch ms) has passed, then waits
   * for the invocations it started. Set `deadline` a little before the function's own timeout.
   *
   * @throws DynamoDbRequestError or DynamoDbUnavailableError when the due index cannot be read or
   *   a claim cannot be written (errors of the invocations themselves go to `onError`).
   */
  runOnce(options?: { deadline?: number | undefined }): Promise<RunOnceResult>;
}

/**
 * Creates a worker that runs the due executions of a table: first invocations, timers that
 * fired, completed callbacks, chained invokes, and executions abandoned by a worker that died.
 * Any number of workers, in any number of processes or hosts, can share one table.
 *
 * @throws TypeError when `handlers` is empty or holds something other than a function, or
 *   `table` lacks a client or a table name.
 * @throws RangeError when a count or duration is not a positive integer, or `table.dueShards` is
 *   out of range.
 *
 * @example A long-running worker process
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { createWorker } from "@cairn/dynamodb";
 * import { handler as orders } from "./orders.js";
 *
 * const worker = createWorker({
 *   table: { client: new DynamoDBClient({}), tableName: "cairn" },
 *   handlers: { orders },
 *   concurrency: 8,
 * });
 * worker.start();
 * process.once("SIGTERM", () => void worker.stop().then(() => process.exit(0)));
 * ```
 *
 * @example A Lambda function on an EventBridge schedule
 * ```ts
 * const worker = createWorker({ table, handlers: { orders } });
 * export const handler = async (_event: unknown, context: { getRemainingTimeInMillis(): number }) =>
 *   worker.runOnce({ deadline: Date.now() + context.getRemainingTimeInMillis() - 30_000 });
 * ```
 */
export function createWorker(options: WorkerOptions): Worker {
  return new DynamoDbWorker(options);
}
