// Where the web view reads executions and sends callback answers. The server and the HTML export
// speak only to this interface, so showing another store takes one adapter, not a new view.
import type { DurableExecutionService, ExecutionSummary } from "@cairn/sdk/service";
import type { ErrorObject, HistoryEvent, Operation } from "@cairn/sdk";
import { callbacksJson } from "../callbacks-section.js";
import { payloadValue } from "../format.js";
import { buildOperationTree, flattenOperationTree, renderOperationTree } from "../operation-tree.js";
import { openService, readSidecar, shortIdOf } from "../store.js";
import type {
  CallbackActionResult,
  ExecutionListItem,
  ExecutionView,
  InvocationJson,
  OperationHistoryJson,
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
  /**
   * One execution by short id, ARN or name, with its operations, history and invocations. Past
   * {@link FULL_HISTORY_MAX_EVENTS} events the history is trimmed to what the timeline draws
   * from, unless `fullHistory` is set (the HTML export, which has no server to ask later).
   */
  getExecution(reference: string, options?: { fullHistory?: boolean }): Promise<ExecutionView | undefined>;
  /** One operation's history events; undefined for an unknown execution. */
  getOperationHistory(reference: string, operationId: string): Promise<OperationHistoryJson | undefined>;
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

  async getExecution(reference: string, options: { fullHistory?: boolean } = {}): Promise<ExecutionView | undefined> {
    const summary = await this.#find(reference);
    if (summary === undefined) return undefined;
    const [operations, history] = await Promise.all([
      this.service.getOperations(summary.executionArn),
      this.service.getHistory(summary.executionArn),
    ]);
    const now = new Date();
    const complete = options.fullHistory === true || history.length <= FULL_HISTORY_MAX_EVENTS;
    return {
      ...this.#listItem(summary),
      input: payloadValue(summary.input),
      result: payloadValue(summary.result),
      error: toJson(summary.error),
      blockedMessage: summary.blocked?.message,
      operations: toJson(operations),
      history: toJson(complete ? history : timelineEvents(operations, history)),
      historyComplete: complete,
      historyEventCount: history.length,
      invocations: invocationsOf(history),
      callbacks: callbacksJson(operations),
      treeLines: treeLines(operations, now),
      now: now.toISOString(),
    };
  }

  async getOperationHistory(reference: string, operationId: string): Promise<OperationHistoryJson | undefined> {
    const summary = await this.#find(reference);
    if (summary === undefined) return undefined;
    const history = await this.service.getHistory(summary.executionArn);
    return { operationId, events: toJson(history.filter((event) => event.Id === operationId)) };
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

/**
 * Up to this many events an execution's history is sent whole. Past it (a few thousand
 * operations) parsing and sending every event is most of the page's load time, and the timeline
 * needs few of them: see {@link timelineEvents}.
 */
export const FULL_HISTORY_MAX_EVENTS = 5000;

/**
 * The events the timeline draws from: those without an operation (the execution's, the
 * invocations') and every event of a step that retried or has not succeeded — its attempts and
 * retry delays. A step that succeeded at its first attempt is drawn from the operation alone.
 */
export function timelineEvents<E extends { Id?: string | undefined }>(
  operations: readonly { Id: string; Type: string; Status: string; StepDetails?: { Attempt?: number | undefined } | undefined }[],
  history: readonly E[],
): E[] {
  const steps = new Set<string>();
  for (const op of operations) {
    if (op.Type === "STEP" && (op.Status !== "SUCCEEDED" || (op.StepDetails?.Attempt ?? 1) > 1)) steps.add(op.Id);
  }
  return history.filter((event) => event.Id === undefined || event.Id === "0" || steps.has(event.Id));
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

/**
 * The tree lines the page shows under the timeline: the first {@link TREE_LINES_MAX} operations
 * in tree order, then a line saying how many more there are. Past that the text costs more to
 * send and lay out than anyone reads; the timeline shows every operation.
 */
export const TREE_LINES_MAX = 2000;

function treeLines(operations: readonly Operation[], now: Date): string[] {
  const nodes = flattenOperationTree(buildOperationTree(operations));
  if (nodes.length <= TREE_LINES_MAX) return renderOperationTree(operations, { now, indent: "" });
  const shown = nodes.slice(0, TREE_LINES_MAX).map((node) => node.operation);
  const lines = renderOperationTree(shown, { now, indent: "" });
  lines.push(`… ${nodes.length - TREE_LINES_MAX} more operations (the timeline shows every one; "cairn inspect" prints them all)`);
  return lines;
}

/**
 * The value as JSON would carry it, Dates as ISO strings: the shape the page reads. A walk, not a
 * JSON round trip, which costs several times more on a 10 000-operation execution.
 */
function toJson<T>(value: unknown): T {
  return isoDates(value) as T;
}

function isoDates(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(isoDates);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = isoDates(field);
  }
  return out;
}
