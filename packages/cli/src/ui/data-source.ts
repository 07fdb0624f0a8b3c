// Where the web view reads executions and sends callback answers. The server and the HTML export
// speak only to this interface, so showing another store takes one adapter, not a new view.
import type { DurableExecutionService, ExecutionSummary } from "@cairn/sdk/service";
import type { ErrorObject, HistoryEvent } from "@cairn/sdk";
import { callbacksJson } from "../callbacks-section.js";
import { payloadValue } from "../format.js";
import { renderOperationTree } from "../operation-tree.js";
import { openService, readSidecar, shortIdOf } from "../store.js";
import type {
  CallbackActionResult,
  ExecutionListItem,
  ExecutionView,
  InvocationJson,
} from "./view-types.js";

/** An answer to a callback, as `cairn callback` sends them. */
export type CallbackAnswer =
  | { action: "succeed"; payload?: string | undefined }
  | { action: "fail"; error?: ErrorObject | undefined }
  | { action: "heartbeat" };

/**
 * What the web view needs from a store. `getExecution` resolves undefined for an unknown id; the
 * callback answer rejects with the service's errors (InvalidCallbackIdError, CallbackNotFoundError,
 * CallbackAlreadyCompletedError, ExecutionClosedError), which the API turns into status codes.
 */
export interface UiDataSource {
  /** Names the store for the page's header, e.g. "file store /srv/app/.cairn". */
  readonly description: string;
  /** Every execution, newest first. */
  listExecutions(): Promise<ExecutionListItem[]>;
  /** One execution by short id, ARN or name, with its operations, history and invocations. */
  getExecution(reference: string): Promise<ExecutionView | undefined>;
  /** Completes a callback (succeed, fail) or sends it a heartbeat. */
  answerCallback(callbackId: string, answer: CallbackAnswer): Promise<CallbackActionResult>;
}

/** Options of {@link ServiceUiDataSource}. */
export interface ServiceUiDataSourceOptions {
  /** For the page's header. */
  description: string;
  /** The handler module an execution runs, when the store knows it (the CLI's sidecar records). */
  handlerOf?: (summary: ExecutionSummary) => string | undefined;
}

/**
 * A {@link UiDataSource} over any {@link DurableExecutionService} — the same calls `cairn inspect`
 * and `cairn callback` make — so every store the service runs on (file, memory, DynamoDB) works.
 */
export class ServiceUiDataSource implements UiDataSource {
  readonly description: string;
  readonly #handlerOf: (summary: ExecutionSummary) => string | undefined;

  constructor(
    private readonly service: DurableExecutionService,
    options: ServiceUiDataSourceOptions,
  ) {
    this.description = options.description;
    this.#handlerOf = options.handlerOf ?? (() => undefined);
  }

  async listExecutions(): Promise<ExecutionListItem[]> {
    const all = await this.service.listExecutions();
    all.sort((a, b) => new Date(b.startTimestamp).getTime() - new Date(a.startTimestamp).getTime());
    return all.map((summary) => this.#listItem(summary));
  }

  async getExecution(reference: string): Promise<ExecutionView | undefined> {
    const summary = await this.#find(reference);
    if (summary === undefined) return undefined;
    const [operations, history] = await Promise.all([
      this.service.getOperations(summary.executionArn),
      this.service.getHistory(summary.executionArn),
    ]);
    const now = new Date();
    return {
      ...this.#listItem(summary),
      input: payloadValue(summary.input),
      result: payloadValue(summary.result),
      error: toJson(summary.error),
      blockedMessage: summary.blocked?.message,
      operations: toJson(operations),
      history: toJson(history),
      invocations: invocationsOf(history),
      callbacks: callbacksJson(operations),
      treeLines: renderOperationTree(operations, { now, indent: "" }),
      now: now.toISOString(),
    };
  }

  async answerCallback(callbackId: string, answer: CallbackAnswer): Promise<CallbackActionResult> {
    const done =
      answer.action === "succeed"
        ? await this.service.sendCallbackSuccess(callbackId, answer.payload)
        : answer.action === "fail"
          ? await this.service.sendCallbackFailure(callbackId, answer.error)
          : await this.service.sendCallbackHeartbeat(callbackId);
    const execution = await this.service.getExecution(done.executionArn);
    return { action: answer.action, callbackId, executionId: shortIdOf(execution), operationId: done.operationId };
  }

  async #find(reference: string): Promise<ExecutionSummary | undefined> {
    const all = await this.service.listExecutions();
    const upper = reference.toUpperCase();
    return all.find((s) => shortIdOf(s) === upper || s.executionArn === reference || s.executionName === reference);
  }

  #listItem(summary: ExecutionSummary): ExecutionListItem {
    return {
      id: shortIdOf(summary),
      executionArn: summary.executionArn,
      executionName: summary.executionName,
      status: summary.status,
      startTimestamp: new Date(summary.startTimestamp).toISOString(),
      endTimestamp: summary.endTimestamp === undefined ? undefined : new Date(summary.endTimestamp).toISOString(),
      invocationCount: summary.invocationCount,
      handler: this.#handlerOf(summary),
      blockedAt: summary.blocked?.operationId,
    };
  }
}

/** The web view's data source over the CLI's file store in `directory`. */
export function fileUiDataSource(directory: string): ServiceUiDataSource {
  return new ServiceUiDataSource(openService(directory), {
    description: `file store ${directory}`,
    handlerOf: (summary) => readSidecar(directory, summary)?.handlerPath,
  });
}

/** One entry per InvocationCompleted event: when the handler ran, so the page can draw where it was suspended. */
export function invocationsOf(history: readonly HistoryEvent[]): InvocationJson[] {
  const out: InvocationJson[] = [];
  for (const event of history) {
    const details = event.InvocationCompletedDetails;
    if (event.EventType !== "InvocationCompleted" || details?.StartTimestamp === undefined) continue;
    out.push({
      start: new Date(details.StartTimestamp).toISOString(),
      end: new Date(details.EndTimestamp ?? event.EventTimestamp).toISOString(),
      requestId: details.RequestId,
      error: toJson(details.Error?.Payload),
    });
  }
  return out;
}

/** The value as JSON would carry it (Dates become ISO strings): the shape the page reads. */
function toJson<T>(value: unknown): T {
  return value === undefined ? (undefined as T) : (JSON.parse(JSON.stringify(value)) as T);
}
