// The caller's side of Cairn on DynamoDB: start executions, look at them, complete callbacks,
// stop them. Workers (worker.ts) do the running.
import {
  CheckpointService,
  ExecutionNotFoundError,
  InvalidRequestError,
  executionIdOfArn,
  planFailExecution,
  planStopExecution,
  randomIds,
  type CallbackCompletionResult,
  type ExecutionSummary,
} from "@cairn/sdk/service";
import { type ErrorObject, type HistoryEvent, type Operation } from "@cairn/sdk";
import { DynamoDbCheckpointStore, internalsOf, type DynamoDbCheckpointStoreOptions } from "./dynamodb-store.js";
import type { CairnTable } from "./table.js";

/** Settings of {@link createCairnClient}. */
export interface CairnClientOptions {
  /** The table the workers run from. */
  table: CairnTable;
  /** Settings of the client's checkpoint store (retries, cache size). */
  store?: DynamoDbCheckpointStoreOptions | undefined;
}

/** What {@link CairnClient.start} starts. */
export interface StartParams {
  /** Which of the workers' handlers runs the execution (a key of `createWorker({ handlers })`). */
  handlerName: string;
  /** Idempotency key: starting the same name again returns the same execution. Default: a new id. */
  executionName?: string | undefined;
  /** The input event; anything JSON can represent. */
  input?: unknown;
}

/**
 * The caller's side of Cairn on DynamoDB: starts executions, reads their state, completes
 * callbacks and stops executions. It never runs a handler: workers ({@link createWorker}) do.
 * Any number of clients, in any process, can share a table with the workers.
 *
 * Every method can also reject with {@link DynamoDbRequestError} or
 * {@link DynamoDbUnavailableError} when DynamoDB fails.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { createCairnClient } from "@cairn/dynamodb";
 *
 * const client = createCairnClient({ table: { client: new DynamoDBClient({}), tableName: "cairn" } });
 * const { executionArn } = await client.start({ handlerName: "orders", executionName: "ord-1001", input: { orderId: "ord-1001" } });
 * const { status, result } = await client.getExecution(executionArn);
 * // Where the handler called ctx.waitForCallback / ctx.createCallback and handed out the id:
 * await client.sendCallbackSuccess(callbackId, JSON.stringify({ approved: true }));
 * ```
 */
export class CairnClient {
  /** The client's checkpoint store, for reads the methods below do not cover. */
  readonly store: DynamoDbCheckpointStore;
  /** The checkpoint service on that store (the same core the local runner uses). */
  readonly service: CheckpointService;

  /**
   * Sends no request. Prefer {@link createCairnClient}.
   *
   * @throws TypeError or RangeError for an invalid table or store setting.
   */
  constructor(options: CairnClientOptions) {
    this.store = new DynamoDbCheckpointStore(options.table, options.store);
    this.service = new CheckpointService({ store: this.store });
  }

  /**
   * Starts an execution (RUNNING, due at once); the next worker with `handlerName` to poll runs
   * it. Returns its summary, whose `executionArn` names it in every other call. The same
   * `executionName` with the same input returns the existing execution.
   *
   * @throws InvalidRequestError when `handlerName` is missing or `input` is not JSON data.
   * @throws ExecutionAlreadyExistsError when `executionName` is taken by an execution with other input.
   * @throws PayloadTooLargeError when the input is above {@link MAX_VALUE_BYTES} serialized.
   */
  async start(params: StartParams): Promise<ExecutionSummary> {
    if (typeof params?.handlerName !== "string" || params.handlerName.length === 0) {
      throw new InvalidRequestError("start: handlerName must be a non-empty string naming one of the workers' handlers.");
    }
    let input: string | undefined;
    if (params.input !== undefined) {
      try {
        input = JSON.stringify(params.input);
      } catch (error) {
        throw new InvalidRequestError(
          `start: input cannot be serialized as JSON (${error instanceof Error ? error.message : String(error)}). Pass plain data.`,
        );
      }
      if (input === undefined) throw new InvalidRequestError("start: input must be JSON data (not a function or symbol).");
    }
    if (params.executionName !== undefined) {
      return this.service.startExecution({ functionName: params.handlerName, executionName: params.executionName, input });
    }
    // Unnamed: the execution is named by its new id, which nobody can own yet.
    const executionId = randomIds.executionId!();
    internalsOf(this.store).expectFreshName(executionId);
    return this.service.startExecution({ functionName: params.handlerName, executionId, input });
  }

  /**
   * The execution's summary (status, result or error, invocation count), read from its summary
   * items only, strongly consistent.
   *
   * @throws ExecutionNotFoundError when no execution has this ARN.
   */
  async getExecution(executionArn: string): Promise<ExecutionSummary> {
    const id = executionIdOfArn(executionArn);
    const summary = id === undefined ? undefined : await this.store.readSummary(id);
    if (!summary || summary.executionArn !== executionArn) throw new ExecutionNotFoundError(executionArn);
    return summary;
  }

  /**
   * Every execution's summary, oldest first. Reads the list index, which is eventually
   * consistent: an execution started a moment ago may be missing. One request per execution.
   */
  async listExecutions(): Promise<ExecutionSummary[]> {
    const summaries: ExecutionSummary[] = [];
    for (const id of await this.store.listIds()) {
      const summary = await this.store.readSummary(id);
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  /**
   * The execution's history events, oldest first, as the local runner shows them.
   *
   * @throws ExecutionNotFoundError when no execution has this ARN.
   */
  getHistory(executionArn: string): Promise<HistoryEvent[]> {
    return this.service.getHistory(executionArn);
  }

  /**
   * The execution's operations (steps, waits, callbacks, child contexts, invokes) in the order
   * they were first checkpointed, each at its latest state.
   *
   * @throws ExecutionNotFoundError when no execution has this ARN.
   */
  getOperations(executionArn: string): Promise<Operation[]> {
    return this.service.getOperations(executionArn);
  }

  /**
   * Completes a STARTED callback with a result; the execution is due at once, so a worker resumes
   * the handler waiting on it. `result` is the serialized text the callback's serdes reads (JSON
   * for the default one). The callback id carries its execution's id: this is one keyed update.
   *
   * @throws InvalidCallbackIdError when the id is not one Cairn handed out.
   * @throws CallbackNotFoundError, CallbackAlreadyCompletedError or ExecutionClosedError when
   *   there is no such callback, it already completed or timed out, or its execution ended.
   */
  sendCallbackSuccess(callbackId: string, result?: string): Promise<CallbackCompletionResult> {
    return this.service.sendCallbackSuccess(callbackId, result);
  }

  /**
   * Completes a STARTED callback with a failure: the handler's wait throws a
   * `CallbackExternalError` carrying `error`. Rejects as {@link CairnClient.sendCallbackSuccess}.
   */
  sendCallbackFailure(callbackId: string, error?: ErrorObject): Promise<CallbackCompletionResult> {
    return this.service.sendCallbackFailure(callbackId, error);
  }

  /**
   * Restarts the callback's heartbeat timeout (accepted, with no effect, when it has none).
   * Rejects as {@link CairnClient.sendCallbackSuccess}.
   */
  sendCallbackHeartbeat(callbackId: string): Promise<CallbackCompletionResult> {
    return this.service.sendCallbackHeartbeat(callbackId);
  }

  /**
   * Stops a RUNNING execution: it becomes STOPPED (`ExecutionStopped` in the history, with
   * `error` when given), and an invocation still running loses its token, so nothing it
   * checkpoints afterwards is stored. Returns the summary after the stop.
   *
   * @throws ExecutionNotFoundError when no execution has this ARN.
   * @throws ExecutionClosedError when the execution already ended.
   */
  async stop(executionArn: string, error?: ErrorObject): Promise<ExecutionSummary> {
    return this.endFromOutside(executionArn, planStopExecution, error);
  }

  /**
   * Fails a RUNNING execution on purpose: it becomes FAILED (`ExecutionFailed` in the history,
   * with `error`, default `Execution.FailedByOperator`), and an invocation still running loses its
   * token. The way to give up on an execution blocked by a replay mismatch (`blocked` in its
   * summary). Returns the summary after it.
   *
   * @throws ExecutionNotFoundError when no execution has this ARN.
   * @throws ExecutionClosedError when the execution already ended.
   */
  async fail(executionArn: string, error?: ErrorObject): Promise<ExecutionSummary> {
    const reason = error ?? { ErrorType: "Execution.FailedByOperator", ErrorMessage: "failed on purpose through the client" };
    return this.endFromOutside(executionArn, planFailExecution, reason);
  }

  private async endFromOutside(
    executionArn: string,
    plan: typeof planStopExecution,
    error: ErrorObject | undefined,
  ): Promise<ExecutionSummary> {
    const id = executionIdOfArn(executionArn);
    const outcome =
      id === undefined
        ? undefined
        : await this.store.update(id, (record) =>
            record.summary.executionArn === executionArn
              ? { mutation: plan(record, error, { now: new Date(), ids: randomIds }), result: true }
              : { result: false },
          );
    if (!outcome?.result) throw new ExecutionNotFoundError(executionArn);
    return this.getExecution(executionArn);
  }
}

/**
 * Creates a {@link CairnClient} on `options.table`; sends no request.
 *
 * @throws TypeError or RangeError for an invalid table or store setting.
 */
export function createCairnClient(options: CairnClientOptions): CairnClient {
  return new CairnClient(options);
}
