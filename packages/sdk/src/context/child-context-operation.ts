import { ChildContextError, errorFromObject, type DurableOperationError } from "../errors/durable-errors.js";
import { ValidationError } from "../errors/validation-error.js";
import type { CheckpointedOperation } from "../engine/checkpointed-operations.js";
import { toErrorObject } from "../errors/error-object.js";
import { never } from "../engine/invocation-engine.js";
import {
  OperationAction,
  OperationStatus,
  OperationSubType,
  OperationType,
  type ErrorObject,
  type OperationUpdate,
} from "../protocol/wire.js";
import type { ChildConfig, ChildFunc } from "../types/child.js";
import type { Serdes, SerdesContext } from "../types/serdes.js";
import { defaultSerdes } from "../serdes/default-serdes.js";
import { runInScope } from "./active-scope.js";
import type { ContextImpl } from "./durable-context-impl.js";
import type { LazyAbort } from "./lazy-abort.js";
import { operationEnded, operationReplayed, operationStarted, wrapContextFn, type OperationIdentityInfo } from "./operation-hooks.js";
import { describeOperation, deserializeAt, fitsInline, quotedName, serializeAt, type PayloadSite } from "./payloads.js";

export type ChildOutcome<T> = { status: "SUCCEEDED"; value: T } | { status: "FAILED"; error: ChildContextError };

export interface ChildSpec<T> {
  /** The context the child's operation belongs to (its updates are written through it). */
  owner: ContextImpl;
  id: string;
  name: string | undefined;
  subType: string;
  fn: ChildFunc<T>;
  serdes: Serdes<T>;
  abort: LazyAbort;
  existing: CheckpointedOperation | undefined;
  /** Stored in place of a result too large to checkpoint (see ChildConfig.summaryGenerator). */
  summaryGenerator?: ((result: T) => string) | undefined;
}

/**
 * What executeChild resolves with for a child that succeeded with its result stored, when that
 * result is read with the default serdes (synchronous); undefined for any other child. A finished
 * map replays thousands of these: this answers without executeChild's frame and promises. Throws
 * what executeChild would reject with.
 */
export function storedChildOutcome<T>(spec: Pick<ChildSpec<T>, "owner" | "id" | "name" | "serdes" | "existing">): ChildOutcome<T> | undefined {
  const existing = spec.existing;
  if (spec.serdes !== defaultSerdes || existing?.Status !== OperationStatus.SUCCEEDED || existing.ContextDetails?.ReplayChildren === true) {
    return undefined;
  }
  return { status: "SUCCEEDED", value: deserializeAt(new ChildSite(spec), spec.serdes, existing.ContextDetails?.Result) as T };
}

/**
 * Runs a function in a child context whose operation is checkpointed as one unit. A finished child
 * is not re-run on replay; its result comes from the checkpoint, unless the result was too large
 * to store — then the child re-runs against its own checkpoints to rebuild it, writing nothing.
 */
export async function executeChild<T>(spec: ChildSpec<T>): Promise<ChildOutcome<T>> {
  const { owner, id, name, subType, existing } = spec;
  const engine = owner.engine;
  // Many of these frames may be open at once (a map's items take runChildInto instead), so
  // nothing lives in them that only errors, plugins or a custom serdes read (the description,
  // the serdes context, the plugin identity).

  if (existing?.Status === OperationStatus.FAILED) {
    return { status: "FAILED", error: childError(existing.ContextDetails?.Error, whatOf(spec)) };
  }
  const rebuilding = existing?.Status === OperationStatus.SUCCEEDED && existing.ContextDetails?.ReplayChildren === true;
  if (existing?.Status === OperationStatus.SUCCEEDED && !rebuilding) {
    return { status: "SUCCEEDED", value: await deserializeAt(new ChildSite(spec), spec.serdes, existing.ContextDetails?.Result) };
  }
  const child = enterChild(spec, rebuilding);
  if (child === undefined) return never();
  const identity = engine.plugins ? { id, name, type: OperationType.CONTEXT, subType, parentId: owner.operationId } : undefined;
  if (identity && !rebuilding) await (existing ? operationReplayed(engine, identity, existing) : operationStarted(engine, identity));

  let ended: PromiseSettledResult<T>;
  try {
    const value = identity
      ? await childInPlugins(spec, identity, child, { isReplay: existing !== undefined, isReplayingChildren: child.replaying })
      : await runInScope(child, spec.fn, child);
    ended = { status: "fulfilled", value };
  } catch (reason) {
    ended = { status: "rejected", reason };
  }
  return await finishChild(spec, child, ended, rebuilding, identity);
}

/** Where a child started by runChildInto reports how it ended. */
export interface ChildSink<T> {
  /** The child ended with `outcome`. */
  ended(outcome: ChildOutcome<T>): void;
  /** Checkpointing its end failed. */
  broke(error: unknown): void;
}

/**
 * executeChild for a caller that keeps thousands of children open at once (a map's items, each
 * waiting): the outcome goes to `sink` once the child ends, later (never before this returns), and
 * never if it cannot end. A child whose function runs keeps no frame of its own or of its
 * caller's while it waits: only its function's promise and the reaction that finishes it.
 */
export function runChildInto<T>(spec: ChildSpec<T>, sink: ChildSink<T>): void {
  const { owner, existing } = spec;
  // Finished and failed children end at once; rebuilt ones, and any child under plugins (which
  // wrap its function), keep executeChild's path.
  if (owner.engine.plugins || existing?.Status === OperationStatus.SUCCEEDED || existing?.Status === OperationStatus.FAILED) {
    reportTo(sink, executeChild(spec));
    return;
  }
  const child = enterChild(spec, false);
  if (child === undefined) return;
  let running: Promise<T>;
  try {
    // What `await` makes of the function's result, a synchronous throw included.
    running = Promise.resolve(runInScope(child, spec.fn, child));
  } catch (error) {
    running = Promise.reject(error);
  }
  // One reaction waits on the function; what finishes the child is made only once it has ended.
  running.then(
    (value) => reportTo(sink, finishChild(spec, child, { status: "fulfilled", value }, false, undefined)),
    (reason: unknown) => reportTo(sink, finishChild(spec, child, { status: "rejected", reason }, false, undefined)),
  );
}

/**
 * The child's own context, with its START checkpointed when it has no operation yet; undefined
 * when its owner has closed (nothing may start there).
 */
function enterChild<T>(spec: ChildSpec<T>, rebuilding: boolean): ContextImpl | undefined {
  const { owner, id, name, subType, existing } = spec;
  if (owner.closed) return undefined;
  const child = owner.child(id, spec.abort, rebuilding, name);
  if (!existing) owner.checkpoint(contextUpdate(owner, id, name, subType, OperationAction.START));
  return child;
}

/** Tells `sink` how `ending` settles. */
export function reportTo<O>(sink: { ended(outcome: O): void; broke(error: unknown): void }, ending: Promise<O>): void {
  ending.then(
    (outcome) => sink.ended(outcome),
    (error: unknown) => sink.broke(error),
  );
}

/**
 * The end of a child whose function returned or threw (`ended`): its result, or its error, is
 * checkpointed (not when rebuilding, which writes nothing).
 */
async function finishChild<T>(
  spec: ChildSpec<T>,
  child: ContextImpl,
  ended: PromiseSettledResult<T>,
  rebuilding: boolean,
  identity: OperationIdentityInfo | undefined,
): Promise<ChildOutcome<T>> {
  const { owner, id, name, subType } = spec;
  const engine = owner.engine;
  if (engine.ended || child.closed) return never();
  if (ended.status === "rejected") {
    const errorObject = toErrorObject(ended.reason);
    if (!rebuilding) await owner.checkpoint(contextUpdate(owner, id, name, subType, OperationAction.FAIL, { Error: errorObject }));
    if (identity && !rebuilding) await operationEnded(engine, identity, ended.reason);
    return { status: "FAILED", error: childError(errorObject, whatOf(spec)) };
  }
  const value = ended.value;
  if (rebuilding) return { status: "SUCCEEDED", value };

  let payload: string | undefined;
  try {
    payload = await serializeAt(new ChildSite(spec), spec.serdes, value);
  } catch (error) {
    const errorObject = toErrorObject(error);
    await owner.checkpoint(contextUpdate(owner, id, name, subType, OperationAction.FAIL, { Error: errorObject }));
    if (identity) await operationEnded(engine, identity, error);
    return { status: "FAILED", error: childError(errorObject, whatOf(spec)) };
  }
  if (!fitsInline(payload)) {
    // Too large to store: record success without the result (a summary, if asked for, for readers
    // of the history); replay re-runs the children.
    const summary = summaryOf(spec, value);
    await owner.checkpoint(
      contextUpdate(owner, id, name, subType, OperationAction.SUCCEED, {
        ContextOptions: { ReplayChildren: true },
        ...(summary === undefined ? {} : { Payload: summary }),
      }),
    );
    if (identity) await operationEnded(engine, identity);
    return { status: "SUCCEEDED", value };
  }
  await owner.checkpoint(contextUpdate(owner, id, name, subType, OperationAction.SUCCEED, payload === undefined ? undefined : { Payload: payload }));
  if (identity) await operationEnded(engine, identity);
  return { status: "SUCCEEDED", value: await deserializeAt(new ChildSite(spec), spec.serdes, payload) };
}

/**
 * Runs a map item or parallel branch with `nesting: FLAT`, in a context that has no operation of
 * its own: nothing is checkpointed for it, its outcome is what its function returns or throws, and
 * a replay runs the function again while its operations answer from their own checkpoints.
 */
export async function executeVirtualChild<T>(spec: ChildSpec<T>): Promise<ChildOutcome<T>> {
  const { owner } = spec;
  const engine = owner.engine;
  if (owner.closed) return never();
  const child = owner.virtualChild(spec.id, spec.abort);
  let value: T;
  try {
    value = await runInScope(child, spec.fn, child);
  } catch (error) {
    if (engine.ended || child.closed) return never();
    return { status: "FAILED", error: childError(toErrorObject(error), whatOf(spec)) };
  }
  if (engine.ended || child.closed) return never();
  // Through the item serdes, as a nested item's result is, so both nestings and every replay
  // hand back the same value.
  try {
    const site = new ChildSite(spec);
    return { status: "SUCCEEDED", value: await deserializeAt(site, spec.serdes, await serializeAt(site, spec.serdes, value)) };
  } catch (error) {
    return { status: "FAILED", error: childError(toErrorObject(error), whatOf(spec)) };
  }
}

/**
 * The child's function inside the plugins' wrappers. Its closure lives here, not in executeChild:
 * a closure there would give every child (every map item) a heap-allocated scope, plugins or not.
 */
function childInPlugins<T>(
  spec: ChildSpec<T>,
  identity: OperationIdentityInfo,
  child: ContextImpl,
  flags: { isReplay: boolean; isReplayingChildren: boolean },
): Promise<T> {
  return wrapContextFn(spec.owner.engine, identity, flags, async () => runInScope(child, spec.fn, child));
}

/**
 * The summary to store for a result too large to checkpoint: what summaryGenerator returns, when
 * it returns a string that fits; otherwise nothing (a summary is for readers, never worth failing
 * a context that succeeded).
 */
function summaryOf<T>(spec: ChildSpec<T>, value: T): string | undefined {
  if (spec.summaryGenerator === undefined) return undefined;
  try {
    const summary = spec.summaryGenerator(value);
    return typeof summary === "string" && fitsInline(summary) ? summary : undefined;
  } catch {
    return undefined;
  }
}

function whatOf(spec: Pick<ChildSpec<unknown>, "id" | "name">): string {
  return describeOperation("child context", spec.id, spec.name);
}

/** A child's payload site, made only when its result is (de)serialized (see PayloadSite). */
class ChildSite implements PayloadSite {
  constructor(private readonly spec: Pick<ChildSpec<unknown>, "id" | "name" | "owner">) {}

  get serdesContext(): SerdesContext {
    return { entityId: this.spec.id, durableExecutionArn: this.spec.owner.engine.executionArn };
  }

  get what(): string {
    return whatOf(this.spec);
  }
}

/** An update of a CONTEXT operation (child context, branch, item, or a batch itself) owned by `owner`. */
export function contextUpdate(
  owner: ContextImpl,
  id: string,
  name: string | undefined,
  subType: string,
  action: OperationUpdate["Action"],
  extra?: Partial<OperationUpdate>,
): OperationUpdate {
  const update: OperationUpdate = { Id: id, ParentId: owner.operationId, Name: name, Type: OperationType.CONTEXT, SubType: subType, Action: action };
  return extra ? Object.assign(update, extra) : update;
}

export function childError(errorObject: ErrorObject | undefined, what: string): ChildContextError {
  const object = errorObject ?? { ErrorType: "ChildContextError", ErrorMessage: `${what} failed` };
  return new ChildContextError(object.ErrorMessage ?? `${what} failed`, errorFromObject(object), object.ErrorData);
}

export async function runChildContext<T>(
  ctx: ContextImpl,
  name: string | undefined,
  fn: ChildFunc<T>,
  config: ChildConfig<T>,
): Promise<T> {
  checkChildConfig(name, config);
  const engine = ctx.engine;
  const id = ctx.nextId();
  const subType = config.subType ?? OperationSubType.RUN_IN_CHILD_CONTEXT;
  const serdes = config.serdes ?? engine.defaultSerdes;
  let outcome: ChildOutcome<T>;
  if (config.virtualContext === true) {
    // Nothing checkpointed at this position, so nothing to check it against on replay.
    if (engine.ended) return never();
    outcome = await executeVirtualChild({ owner: ctx, id, name, subType, fn, serdes, abort: ctx.abort, existing: undefined });
  } else {
    const existing = engine.replayCheck({ id, type: OperationType.CONTEXT, subType, name });
    if (engine.ended) return never();
    outcome = await executeChild({ owner: ctx, id, name, subType, fn, serdes, abort: ctx.abort, existing, summaryGenerator: config.summaryGenerator });
  }
  if (outcome.status === "SUCCEEDED") return outcome.value;
  if (config.errorMapper === undefined) throw outcome.error;
  // The function's own error as stored: the cause the default ChildContextError wraps.
  throw config.errorMapper(outcome.error.cause as DurableOperationError);
}

function checkChildConfig<T>(name: string | undefined, config: ChildConfig<T>): void {
  for (const field of ["summaryGenerator", "errorMapper"] as const) {
    if (config[field] !== undefined && typeof config[field] !== "function") {
      throw new ValidationError(`runInChildContext${quotedName(name)}: ${field} must be a function, got ${typeof config[field]}.`);
    }
  }
  if (config.virtualContext !== undefined && typeof config.virtualContext !== "boolean") {
    throw new ValidationError(`runInChildContext${quotedName(name)}: virtualContext must be true or false, got ${typeof config.virtualContext}.`);
  }
}
