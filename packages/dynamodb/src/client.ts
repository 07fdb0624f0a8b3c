// The caller's side of Cairn on DynamoDB: start executions, look at them, complete callbacks,
// stop them. Workers (worker.ts) do the running.
import {
  CheckpointService,
  ExecutionNotFoundError,
  InvalidRequestError,
  executionIdOfArn,
  planStopExecution,
  randomIds,
  type CallbackCompletionResult,
  type ErrorObject,
  type ExecutionSummary,
  type HistoryEvent,
  type Operation,
} from "@cairn/sdk";
import { DynamoDbCheckpointStore, type DynamoDbCheckpointStoreOptions } from "./dynamodb-store.js";
import type { CairnTable } from "./table.js";

export interface CairnClientOptions {
  table: CairnTable;
  store?: DynamoDbCheckpointStoreOptions | undefined;
}

export interface StartParams {
  /** Which of the workers' handlers runs the execution (a key of `createWorker({ handlers })`). */
  handlerName: string;
  /** Idempotency key: starting the same name again returns the same execution. Default: a new id. */
  executionName?: string | undefined;
  /** The input event; anything JSON can represent. */
  input?: unknown;
}

export class CairnClient {
  readonly store: DynamoDbCheckpointStore;
  readonly service: CheckpointService;

  constructor(options: CairnClientOptions) {
    this.store = new DynamoDbCheckpointStore(options.table, options.store);
    this.service = new CheckpointService({ store: this.store });
  }

  /**
   * Starts an execution; a worker with `handlerName` picks it up. The same `executionName` with
   * the same input returns the existing execution; with other input it throws
   * ExecutionAlreadyExistsError.
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
    return this.service.startExecution({ functionName: params.handlerName, executionName: params.executionName, input });
  }

  /** The execution's summary, read from its summary items only. */
  async getExecution(executionArn: string): Promise<ExecutionSummary> {
    const id = executionIdOfArn(executionArn);
    const summary = id === undefined ? undefined : await this.store.readSummary(id);
    if (!summary || summary.executionArn !== executionArn) throw new ExecutionNotFoundError(executionArn);
    return summary;
  }

  /** Every execution, oldest first (eventually consistent: a just-started one may be missing). */
  async listExecutions(): Promise<ExecutionSummary[]> {
    const summaries: ExecutionSummary[] = [];
    for (const id of await this.store.listIds()) {
      const summary = await this.store.readSummary(id);
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  getHistory(executionArn: string): Promise<HistoryEvent[]> {
    return this.service.getHistory(executionArn);
  }

  getOperations(executionArn: string): Promise<Operation[]> {
    return this.service.getOperations(executionArn);
  }

  /** Completes a callback with a result (`result` is the serialized text the handler's serdes reads). */
  sendCallbackSuccess(callbackId: string, result?: string): Promise<CallbackCompletionResult> {
    return this.service.sendCallbackSuccess(callbackId, result);
  }

  sendCallbackFailure(callbackId: string, error?: ErrorObject): Promise<CallbackCompletionResult> {
    return this.service.sendCallbackFailure(callbackId, error);
  }

  sendCallbackHeartbeat(callbackId: string): Promise<CallbackCompletionResult> {
    return this.service.sendCallbackHeartbeat(callbackId);
  }

  /**
   * Stops a RUNNING execution: it becomes STOPPED, and an invocation still running loses its
   * token, so nothing it checkpoints afterwards is stored. Throws ExecutionClosedError when the
   * execution already ended.
   */
  async stop(executionArn: string, error?: ErrorObject): Promise<ExecutionSummary> {
    const id = executionIdOfArn(executionArn);
    const outcome =
      id === undefined
        ? undefined
        : await this.store.update(id, (record) =>
            record.summary.executionArn === executionArn
              ? { mutation: planStopExecution(record, error, { now: new Date(), ids: randomIds }), result: true }
              : { result: false },
          );
    if (!outcome?.result) throw new ExecutionNotFoundError(executionArn);
    return this.getExecution(executionArn);
  }
}

export function createCairnClient(options: CairnClientOptions): CairnClient {
  return new CairnClient(options);
}
