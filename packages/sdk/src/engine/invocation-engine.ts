import { failsExecution } from "../errors/durable-execution-client-error.js";
import { CheckpointFailedError, NonDeterministicExecutionError } from "../errors/engine-errors.js";
import type { CheckpointBackend } from "../protocol/backend.js";
import type { DurableExecutionInvocationInput } from "../protocol/invocation.js";
import { OperationSubType, type GetDurableExecutionStateRequest, type Operation, type OperationUpdate } from "../protocol/wire.js";
import { defaultSerdes } from "../serdes/default-serdes.js";
import type { LoggerConfig } from "../types/logger.js";
import type { AnySerdes } from "../types/serdes.js";
import type { CallbackDeserializer } from "../types/callback.js";
import { rawCallbackDeserializer } from "../serdes/callback-payload.js";
import { CheckpointBatcher } from "./checkpoint-batcher.js";
import { CheckpointedOperations, type CheckpointedOperation } from "./checkpointed-operations.js";
import type { OperationIndex } from "./operation-index.js";
import type { DurableLogRecord, InvocationEnvironment } from "./invocation-environment.js";
import { operationMap, withLazyOperations } from "./operation-info.js";
import type { PluginRunner } from "./plugin-runner.js";
import { projectUpdate } from "./operation-projection.js";
import { ServiceWaits, movedOn, realServiceClock, type ServiceClock } from "./service-waits.js";
import { storedReadOf } from "./stored-reads.js";
import { SuspensionTracker } from "./suspension.js";
import type { TimeBudget } from "./time-budget.js";

/** How an invocation ends, decided by the engine rather than by the handler returning. */
export type Termination =
  | { kind: "suspended" }
  | { kind: "failed"; error: Error }
  | { kind: "infrastructure"; error: Error };

export interface EngineOptions {
  backend: CheckpointBackend;
  logSink?: ((record: DurableLogRecord) => void) | undefined;
  maxUpdatesPerCheckpoint?: number | undefined;
  maxBytesPerCheckpoint?: number | undefined;
  /** Registered instrumentation plugins; undefined when there are none. */
  plugins?: PluginRunner | undefined;
  /** The service's clock, to poll at a wait's end or a retry's time (default: real time). */
  clock?: ServiceClock | undefined;
  /** Replay-only runs: see InvocationEnvironment.onReplayOperation. */
  onReplayOperation?: InvocationEnvironment["onReplayOperation"];
  /** Told when the invocation ends on a replay mismatch: see InvocationEnvironment.onReplayMismatch. */
  onReplayMismatch?: InvocationEnvironment["onReplayMismatch"];
}

/** Identity of an operation as the handler calls it, checked against its checkpoint on replay. */
export interface OperationIdentity {
  id: string;
  type: Operation["Type"];
  subType: string;
  name: string | undefined;
}

/**
 * The state of one invocation: the checkpointed operations, the checkpoint batcher, the suspension
 * decision and the ways the invocation can end other than the handler settling.
 */
export class InvocationEngine {
  readonly executionArn: string;
  /** What `ctx.executionContext` returns; one object shared by every context of the invocation. */
  readonly executionContext: { readonly durableExecutionArn: string };
  /** The checkpointed operations by id (held without timestamps unless plugins are registered). */
  readonly operations: OperationIndex;
  readonly executionOperation: Operation | undefined;
  readonly batcher: CheckpointBatcher;
  readonly suspension: SuspensionTracker;
  readonly logSink: ((record: DurableLogRecord) => void) | undefined;
  loggerConfig: LoggerConfig = {};
  /** Undefined unless plugins are registered: operations test it before building any hook info. */
  readonly plugins: PluginRunner | undefined;
  /** Operations completed outside any invocation since the last one (the input's UpdatedOperationIds). */
  readonly updatedOperationIds: ReadonlySet<string>;
  /** The Lambda request id of this invocation, when the orchestrator gave one. */
  requestId: string | undefined;
  defaultSerdes: AnySerdes = defaultSerdes;
  /** Set when the invocation can tell its remaining time: operations ask it before starting work. */
  timeBudget: TimeBudget | undefined;
  /** Yield markers checkpointed by earlier invocations (see time-budget.ts). */
  yieldMarkers = 0;
  /** Reads callback payloads whose operation names no serdes (see SerdesConfig). */
  defaultCallbackDeserializer: CallbackDeserializer<unknown> = rawCallbackDeserializer;

  readonly #checkpointed: CheckpointedOperations;
  readonly #waits: ServiceWaits;
  readonly #onReplayOperation: InvocationEnvironment["onReplayOperation"];
  readonly #onReplayMismatch: InvocationEnvironment["onReplayMismatch"];
  #termination: Termination | undefined;
  #terminate!: (termination: Termination) => void;
  #failing: Error | undefined;
  readonly terminated: Promise<Termination>;

  private constructor(input: DurableExecutionInvocationInput, checkpointed: CheckpointedOperations, options: EngineOptions) {
    this.executionArn = input.DurableExecutionArn;
    this.executionContext = Object.freeze({ durableExecutionArn: input.DurableExecutionArn });
    this.logSink = options.logSink;
    this.plugins = options.plugins;
    this.updatedOperationIds = new Set(input.UpdatedOperationIds ?? []);
    this.#checkpointed = checkpointed;
    this.#onReplayOperation = options.onReplayOperation;
    this.#onReplayMismatch = options.onReplayMismatch;
    this.operations = checkpointed.byId;
    this.yieldMarkers = checkpointed.yieldMarkers;
    this.executionOperation = checkpointed.execution;
    this.terminated = new Promise((resolve) => (this.#terminate = resolve));
    this.batcher = new CheckpointBatcher(options.backend, this.executionArn, input.CheckpointToken, {
      maxUpdates: options.maxUpdatesPerCheckpoint,
      maxBytes: options.maxBytesPerCheckpoint,
      onAcknowledged: (changed) => {
        for (const op of changed) this.#hold(op);
        this.#waits.reported(changed);
      },
      // Only plugins need the state this invocation's own updates produce (see operation-projection).
      onUpdatesStored: options.plugins ? (updates) => this.#project(updates) : undefined,
      onFailure: (error) =>
        this.end(
          // The backend said retrying cannot help (e.g. the service rejected the request): the
          // execution fails. Anything else ends only this invocation.
          failsExecution(error)
            ? { kind: "failed", error: new CheckpointFailedError(`Checkpoint rejected; the execution fails: ${messageOf(error)}`, error) }
            : {
                kind: "infrastructure",
                error: new CheckpointFailedError(
                  `Checkpoint failed; this invocation stops without changing the execution's outcome: ${messageOf(error)}`,
                  error,
                ),
              },
        ),
      onIdle: () => this.suspension.changed(),
    });
    this.suspension = new SuspensionTracker(
      () => this.batcher.idle,
      () => this.end({ kind: "suspended" }),
      (running) => this.#waits.bodiesRunning(running),
    );
    this.#waits = new ServiceWaits({
      clock: options.clock ?? realServiceClock,
      refresh: () => (this.ended ? never() : this.batcher.refresh()),
      onWake: () => this.suspension.unblocked(),
    });
    this.plugins?.attach(this.suspension);
  }

  #project(updates: readonly OperationUpdate[]): void {
    const now = new Date();
    const changed = new Map<string, CheckpointedOperation>();
    for (const update of updates) {
      const op = projectUpdate(this.operations.get(update.Id), update, now);
      this.#hold(op);
      changed.set(op.Id, op);
    }
    if (this.plugins?.hasOperationChange) this.#reportChange([...changed.values()]);
  }

  /** An operation this invocation learned of after it began (few: held whole). */
  #hold(op: CheckpointedOperation): void {
    this.operations.set(op.Id, op);
    this.#checkpointed.noteTimestamps(op);
  }

  /**
   * The newest timestamp of any operation the engine knows of, in ms (-Infinity: none): a lower
   * bound of the service's clock (see ItemDeadlines).
   */
  get latestTimestampMs(): number {
    return this.#checkpointed.latestTimestampMs;
  }

  #reportChange(changed: CheckpointedOperation[]): void {
    const updatedOperations = operationMap(changed, () => false);
    if (Object.keys(updatedOperations).length === 0) return;
    this.plugins?.operationChange(
      withLazyOperations({ executionArn: this.executionArn, updatedOperations }, () =>
        operationMap(this.operations.values(), () => false),
      ),
    );
  }

  /** Loads every page of the execution state and builds the engine. */
  static async create(input: DurableExecutionInvocationInput, options: EngineOptions): Promise<InvocationEngine> {
    const checkpointed = new CheckpointedOperations(options.plugins !== undefined);
    checkpointed.add(input.InitialExecutionState?.Operations ?? []);
    let marker = input.InitialExecutionState?.NextMarker;
    // Uncopied pages only where nothing but the engine sees them: plugins and replay-only runs are
    // handed the operations the engine holds (see stored-reads.ts).
    const storedRead = options.plugins === undefined && options.onReplayOperation === undefined ? storedReadOf(options.backend) : undefined;
    const read = storedRead ?? ((request: GetDurableExecutionStateRequest) => options.backend.getExecutionState(request));
    while (marker) {
      const page = await read({
        DurableExecutionArn: input.DurableExecutionArn,
        CheckpointToken: input.CheckpointToken,
        Marker: marker,
      });
      checkpointed.add(page.Operations);
      marker = page.NextMarker;
    }
    return new InvocationEngine(input, checkpointed, options);
  }

  get ended(): boolean {
    return this.#termination !== undefined;
  }

  /** Ends the invocation (first caller wins); every later operation freezes. */
  end(termination: Termination): void {
    if (this.#termination) return;
    this.#termination = termination;
    if (termination.kind === "failed" && termination.error instanceof NonDeterministicExecutionError) {
      // The mark the orchestrator's non-determinism policy acts on (the output says FAILED either way).
      this.#onReplayMismatch?.({ operationId: termination.error.operationId ?? "", message: termination.error.message });
    }
    this.suspension.stop();
    this.#waits.stop();
    this.#terminate(termination);
  }

  /** The handler settled and its checkpoints are stored: nothing may suspend the invocation now. */
  finish(): void {
    this.suspension.stop();
    this.#waits.stop();
  }

  /** Checkpointed operations whose ids extend `idPrefix` (undefined: the handler's root). */
  checkpointedChildCount(idPrefix: string | undefined): number {
    return this.operations.childCount(idPrefix);
  }

  /**
   * The checkpoint of the operation at this position, after checking that the handler calls the
   * same operation it called when the checkpoint was written. A mismatch ends the invocation FAILED
   * with a NonDeterministicExecutionError (see InvocationEnvironment.onReplayMismatch).
   */
  replayCheck(identity: OperationIdentity): CheckpointedOperation | undefined {
    const existing = this.operations.get(identity.id);
    if (this.#onReplayOperation && !this.#onReplayOperation(identity, existing)) {
      this.end({ kind: "suspended" });
      return existing;
    }
    if (!existing) return undefined;
    // The common case (every replayed operation) allocates nothing.
    if (
      existing.Type === identity.type &&
      (existing.SubType ?? "") === identity.subType &&
      (existing.Name ?? undefined) === (identity.name ?? undefined)
    ) {
      return existing;
    }
    const problems: string[] = [];
    if (existing.Type !== identity.type) problems.push(`type ${existing.Type} vs ${identity.type}`);
    if ((existing.SubType ?? "") !== identity.subType) problems.push(`sub-type ${existing.SubType} vs ${identity.subType}`);
    if ((existing.Name ?? undefined) !== (identity.name ?? undefined)) {
      problems.push(`name ${JSON.stringify(existing.Name)} vs ${JSON.stringify(identity.name)}`);
    }
    const error = new NonDeterministicExecutionError(
      `Replay mismatch at operation ${identity.id} (${describePosition(identity.id)}): the checkpoint holds ` +
        `${describe(existing.Type, existing.SubType, existing.Name)} but the handler now calls ` +
        `${describe(identity.type, identity.subType, identity.name)} (${problems.join("; ")}). ` +
        "A durable handler must call the same operations in the same order on every replay: move " +
        "non-deterministic choices (time, randomness, external reads) into steps.",
      identity.id,
    );
    this.fail(error);
    return existing;
  }

  /**
   * replayCheck for a step of sub-type Step: a step held as its result alone (see HeldOperation)
   * that the handler calls unnamed comes back as that result string, the operation not rebuilt.
   */
  replayCheckStep(identity: OperationIdentity): CheckpointedOperation | string | undefined {
    if (this.#onReplayOperation === undefined && identity.subType === OperationSubType.STEP && (identity.name ?? undefined) === undefined) {
      const held = this.operations.held(identity.id);
      if (typeof held === "string") return held;
    }
    return this.replayCheck(identity);
  }

  /** Fails the execution no matter what the handler does next (it cannot catch this). */
  fail(error: Error): void {
    this.end({ kind: "failed", error });
  }

  /**
   * Fails the execution like `fail`, but only once the checkpoints already queued are stored, so
   * the operations that led to the failure are on record (a misused context leaves its enclosing
   * operation STARTED, as on AWS). Nothing new is queued meanwhile and the invocation cannot
   * suspend or succeed instead.
   */
  failAfterQueued(error: Error): void {
    if (this.ended || this.#failing !== undefined) return;
    this.#failing = error;
    this.suspension.stop();
    const fail = (): void => this.fail(error);
    void this.batcher.drain().then(fail, fail);
  }

  /** Whether `failAfterQueued` was called: the invocation is about to end FAILED. */
  get failing(): boolean {
    return this.#failing !== undefined;
  }

  /**
   * Queues an update; the promise settles when the store acknowledged it. It never counts as an
   * unhandled rejection, so an update nobody awaits needs no handler of its own.
   */
  checkpoint(update: OperationUpdate): Promise<void> {
    if (this.ended || this.#failing !== undefined) return never();
    return this.batcher.enqueue(update);
  }

  /**
   * Marks an operation as waiting on time or an external event. Without an id it never settles
   * (the work is left to the next invocation). With the id of an operation only the service moves
   * on (a wait, a step's scheduled retry, a callback, an invoke) it resolves with that operation
   * once the service reports it moved on while this invocation is still alive — a step body kept
   * it running — and never settles if the invocation suspends first.
   */
  block<T>(): Promise<T>;
  block(id: string): Promise<CheckpointedOperation>;
  block(id?: string): Promise<unknown> {
    if (id === undefined) {
      this.suspension.blocked();
      return never();
    }
    if (this.ended) return never();
    const current = this.operations.get(id);
    if (current && movedOn(current)) return Promise.resolve(current);
    this.suspension.blocked();
    return this.#waits.waitFor(id, current);
  }

  /** As block(id), settling with nothing once the operation moved on: a wait's end. */
  blockUntilMoved(id: string): Promise<void> {
    if (this.ended) return never();
    const current = this.operations.get(id);
    if (current && movedOn(current)) return Promise.resolve();
    this.suspension.blocked();
    return this.#waits.waitForEnd(id, current);
  }
}

/**
 * A promise that never settles: how code of an ended or abandoned invocation is frozen. A fresh
 * one each time: a shared one would keep every frozen continuation (and all it references)
 * reachable for the life of the process, which a warm Lambda or a worker lives long.
 */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

function describe(type: string | undefined, subType: string | undefined, name: string | undefined): string {
  return `${type}${subType ? `/${subType}` : ""}${name !== undefined ? ` named ${JSON.stringify(name)}` : " (unnamed)"}`;
}

function describePosition(id: string): string {
  const parts = id.split("-");
  const position = parts[parts.length - 1];
  return parts.length === 1
    ? `operation #${position} of the handler`
    : `operation #${position} inside context ${parts.slice(0, -1).join("-")}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
