import type { HistoryEvent } from "../protocol/history.js";
import type {
  CheckpointDurableExecutionRequest,
  CheckpointDurableExecutionResponse,
  GetDurableExecutionStateRequest,
  ErrorObject,
  GetDurableExecutionStateResponse,
  Operation,
} from "../protocol/wire.js";
import { planCheckpoint } from "./apply-checkpoint.js";
import { parseCallbackId } from "./callback-ids.js";
import { planCallbackCompletion, validateCompletion, type CallbackCompletion } from "./callbacks.js";
import { cloneEvent, cloneOperation, cloneSummary } from "./clone.js";
import { systemClock } from "./clock.js";
import type { CoreContext } from "./core-context.js";
import { CallbackNotFoundError, ExecutionAlreadyExistsError, ExecutionNotFoundError, InvalidRequestError } from "./errors.js";
import type { ExecutionRecord } from "./execution-record.js";
import type { ExecutionStore, StoreDecision } from "./execution-store.js";
import { executionIdOfArn, executionNameProblem, isExecutionId, newExecutionId, randomIds, type IdSource } from "./ids.js";
import {
  pendingChainedInvokesOf,
  planCompleteChainedInvoke,
  type ChainedInvokeOutcome,
  type PendingChainedInvoke,
} from "./chained-invokes.js";
import {
  assertReadToken,
  planBeginInvocation,
  planEndInvocation,
  planStartExecution,
} from "./invocation-lifecycle.js";
import { planLiveCheckpoint } from "./live-invocation.js";
import { MAX_PAGE_SIZE, pageOperations } from "./operation-paging.js";
import { assertWholeRecord, operationOf } from "./resident-operations.js";
import type {
  CallbackCompletionResult,
  Clock,
  DurableExecutionService,
  ExecutionSummary,
  InvocationOutcome,
  InvocationTicket,
  StartExecutionParams,
} from "./service-api.js";
import { nextTimerOf, planFireDueTimers } from "./timers.js";
import { wakeAtOf } from "./wake.js";
import { shownValue } from "../errors/shown-value.js";

/**
 * `getExecutionState` without the copies: the page aliases stored operations. Only for the
 * in-process engine, which reads what it loads and never changes it (see engine/stored-reads.ts);
 * set by CheckpointService, the one place that reaches its records.
 */
export let readStoredState: (service: CheckpointService, request: GetDurableExecutionStateRequest) => Promise<GetDurableExecutionStateResponse>;

const asStored = (op: Operation): Operation => op;

/** Options of {@link CheckpointService}. */
export interface CheckpointServiceOptions {
  /** Where executions are kept. */
  store: ExecutionStore;
  /** The service's time (default: the system clock); a virtual clock skips time in tests. */
  clock?: Clock | undefined;
  /** Source of tokens and ids; only tests replace it. */
  ids?: IdSource | undefined;
  /** Operations in beginInvocation's first page: a whole number from 1 to 10000 (default 1000). */
  initialPageSize?: number | undefined;
}

/**
 * The checkpoint service over any ExecutionStore: the pure core decides, the store persists.
 * Everything returned is a copy, so callers cannot reach stored state.
 *
 * @example
 * ```ts
 * const service = new CheckpointService({ store: new FileExecutionStore(".cairn") });
 * const execution = await service.startExecution({ input: JSON.stringify({ orderId: "o-1" }) });
 * ```
 */
export class CheckpointService implements DurableExecutionService {
  private readonly store: ExecutionStore;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly initialPageSize: number | undefined;

  /** A service over `options.store`. Throws TypeError for an initialPageSize out of range. */
  constructor(options: CheckpointServiceOptions) {
    const { initialPageSize } = options;
    // Checked here: paging would refuse it only at the first beginInvocation, after startExecution
    // had already created an execution that could then never run.
    if (
      initialPageSize !== undefined &&
      (!Number.isInteger(initialPageSize) || initialPageSize < 1 || initialPageSize > MAX_PAGE_SIZE)
    ) {
      throw new TypeError(
        `CheckpointService: initialPageSize must be a whole number from 1 to ${MAX_PAGE_SIZE} (got ${shownValue(initialPageSize)}).`,
      );
    }
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.initialPageSize = initialPageSize;
  }

  private context(): CoreContext {
    return { now: this.clock.now(), ids: this.ids };
  }

  private idOf(executionArn: string): string {
    const id = executionIdOfArn(executionArn);
    if (id === undefined) throw new ExecutionNotFoundError(executionArn);
    return id;
  }

  private async read<T>(executionArn: string, view: (record: ExecutionRecord) => T): Promise<T> {
    const found = await this.store.read(this.idOf(executionArn), (record) =>
      record.summary.executionArn === executionArn ? { value: view(record) } : undefined,
    );
    if (found === undefined) throw new ExecutionNotFoundError(executionArn);
    return found.value;
  }

  private async update<T>(executionArn: string, decide: (record: ExecutionRecord) => StoreDecision<T>): Promise<T> {
    const outcome = await this.store.update<{ value: T } | undefined>(this.idOf(executionArn), (record) => {
      if (record.summary.executionArn !== executionArn) return { result: undefined };
      const { mutation, result } = decide(record);
      return { mutation, result: { value: result } };
    });
    if (outcome?.result === undefined) throw new ExecutionNotFoundError(executionArn);
    return outcome.result.value;
  }

  async startExecution(params: StartExecutionParams): Promise<ExecutionSummary> {
    if (params.executionId !== undefined && !isExecutionId(params.executionId)) {
      throw new InvalidRequestError(`Invalid executionId "${String(params.executionId)}": it must be a ULID (26 characters).`);
    }
    const executionId = params.executionId ?? newExecutionId();
    const executionName = params.executionName ?? executionId;
    const problem = executionNameProblem(executionName);
    if (problem) throw new InvalidRequestError(`Invalid executionName "${executionName}": ${problem}.`);
    if (params.input !== undefined && typeof params.input !== "string") {
      throw new InvalidRequestError("startExecution input must be a serialized (JSON) string.");
    }
    // A name drawn here (no name, no id given) is a fresh ULID nobody can hold yet: no lookup.
    // create() still claims it exclusively, so even a collision could not take another's name.
    const freshName = params.executionName === undefined && params.executionId === undefined;
    const existingId = freshName ? undefined : await this.store.findByName(executionName);
    const ownerId =
      existingId ??
      (await this.store.create(
        executionId,
        executionName,
        planStartExecution(
          { executionId, executionName, functionName: params.functionName, input: params.input },
          this.context(),
        ),
      ));
    const summary = await this.store.read(ownerId, (record) => cloneSummary(record.summary));
    if (summary === undefined) throw new ExecutionNotFoundError(`execution named "${executionName}"`);
    if (ownerId !== executionId && summary.input !== params.input) {
      throw new ExecutionAlreadyExistsError(executionName, summary.executionArn);
    }
    return summary;
  }

  async beginInvocation(executionArn: string): Promise<InvocationTicket> {
    const ctx = this.context();
    return this.update(executionArn, (record) => {
      const { mutation, ticket } = planBeginInvocation(record, ctx, this.initialPageSize);
      return { mutation, result: ticket };
    });
  }

  async endInvocation(
    executionArn: string,
    ticket: InvocationTicket,
    outcome: InvocationOutcome,
  ): Promise<ExecutionSummary> {
    const ctx = this.context();
    await this.update(executionArn, (record) => ({
      mutation: planEndInvocation(record, ticket, outcome, ctx),
      result: undefined,
    }));
    return this.getExecution(executionArn);
  }

  async checkpoint(request: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse> {
    const ctx = this.context();
    const updates = request.Updates ?? [];
    if (!Array.isArray(updates)) throw new InvalidRequestError("Updates must be an array of OperationUpdate.");
    return this.update(request.DurableExecutionArn, (record) => {
      const plan = planCheckpoint(record, request.CheckpointToken, updates, ctx);
      // Beyond what the caller wrote itself: values only the service assigns, timers due by now,
      // and what changed outside the invocation since its last checkpoint (see live-invocation.ts).
      const live = planLiveCheckpoint(record, plan, ctx);
      return {
        mutation: live.mutation,
        result: {
          CheckpointToken: plan.checkpointToken,
          NewExecutionState: { Operations: live.reported.map(cloneOperation) },
        },
      };
    });
  }

  async getExecutionState(request: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse> {
    return this.statePage(request, cloneOperation);
  }

  static {
    readStoredState = (service, request) => service.statePage(request, asStored);
  }

  private statePage(request: GetDurableExecutionStateRequest, copy: (op: Operation) => Operation): Promise<GetDurableExecutionStateResponse> {
    return this.read(request.DurableExecutionArn, (record) => {
      assertReadToken(record, request.CheckpointToken);
      assertWholeRecord(record, "paging operations");
      const page = pageOperations(record, request.Marker, request.MaxItems, copy);
      return page.nextMarker === undefined
        ? { Operations: page.operations }
        : { Operations: page.operations, NextMarker: page.nextMarker };
    });
  }

  async getExecution(executionArn: string): Promise<ExecutionSummary> {
    return this.read(executionArn, (record) => cloneSummary(record.summary));
  }

  async listExecutions(): Promise<ExecutionSummary[]> {
    const summaries: ExecutionSummary[] = [];
    for (const id of await this.store.listIds()) {
      const summary = await this.store.read(id, (record) => cloneSummary(record.summary));
      if (summary) summaries.push(summary);
    }
    return summaries;
  }

  async getOperations(executionArn: string, options: { ids?: readonly string[] } = {}): Promise<Operation[]> {
    const { ids } = options;
    return this.read(executionArn, (record) => {
      if (ids === undefined) {
        assertWholeRecord(record, "listing operations");
        return [...record.operations.values()].map(cloneOperation);
      }
      const found: Operation[] = [];
      for (const id of ids) {
        const op = operationOf(record, id);
        if (op) found.push(cloneOperation(op));
      }
      return found;
    });
  }


  async getHistory(executionArn: string): Promise<HistoryEvent[]> {
    const kept = await this.read(executionArn, (record) => record.history?.map(cloneEvent));
    if (kept !== undefined) return kept;
    if (!this.store.readHistory) {
      throw new Error("The store's records keep no history (keepHistory: false) and it has no readHistory: give it one.");
    }
    const read = await this.store.readHistory(this.idOf(executionArn));
    if (read === undefined) throw new ExecutionNotFoundError(executionArn);
    return read;
  }

  async nextTimer(executionArn: string): Promise<Date | undefined> {
    return this.read(executionArn, nextTimerOf);
  }

  async pendingChainedInvokes(executionArn: string): Promise<PendingChainedInvoke[]> {
    return this.read(executionArn, pendingChainedInvokesOf);
  }

  async completeChainedInvoke(executionArn: string, operationId: string, outcome: ChainedInvokeOutcome): Promise<void> {
    const ctx = this.context();
    await this.update(executionArn, (record) => ({
      mutation: planCompleteChainedInvoke(record, operationId, outcome, ctx),
      result: undefined,
    }));
  }

  async wakeAt(executionArn: string): Promise<Date | undefined> {
    return this.read(executionArn, wakeAtOf);
  }

  async sendCallbackSuccess(callbackId: string, payload?: string): Promise<CallbackCompletionResult> {
    return this.completeCallback(callbackId, { kind: "success", payload });
  }

  async sendCallbackFailure(callbackId: string, error?: ErrorObject): Promise<CallbackCompletionResult> {
    return this.completeCallback(callbackId, { kind: "failure", error });
  }

  async sendCallbackHeartbeat(callbackId: string): Promise<CallbackCompletionResult> {
    return this.completeCallback(callbackId, { kind: "heartbeat" });
  }

  /** Routes the id to its execution by the id alone (one keyed update, no index), then lets the core decide. */
  private async completeCallback(callbackId: string, completion: CallbackCompletion): Promise<CallbackCompletionResult> {
    const { executionId } = parseCallbackId(callbackId);
    validateCompletion(callbackId, completion);
    const ctx = this.context();
    const outcome = await this.store.update(executionId, (record) => {
      const plan = planCallbackCompletion(record, callbackId, completion, ctx);
      return {
        mutation: plan.mutation,
        result: { executionArn: record.summary.executionArn, operationId: plan.operationId },
      };
    });
    if (outcome === undefined) throw new CallbackNotFoundError(callbackId);
    return outcome.result;
  }

  async fireDueTimers(executionArn: string): Promise<string[]> {
    const ctx = this.context();
    return this.update(executionArn, (record) => {
      const { mutation, firedOperationIds } = planFireDueTimers(record, ctx);
      return { mutation, result: firedOperationIds };
    });
  }
}
