// Where operations report their lifecycle to instrumentation plugins. Every function returns
// undefined when no plugin is registered, so an operation calls it as
// `if (engine.plugins) await operationStarted(...)` and pays nothing otherwise.
import type { InvocationEngine } from "../engine/invocation-engine.js";
import type { CheckpointedOperation } from "../engine/checkpointed-operations.js";
import { operationInfoOf, type OperationIdentityInfo } from "../engine/operation-info.js";
import { AttemptEndInfoOutcome, PluginOperationStatus, type AttemptEndInfo, type ChildContextFnInfo } from "../types/plugin.js";

export type { OperationIdentityInfo } from "../engine/operation-info.js";

const TERMINAL = new Set<string>(["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "STOPPED"]);

export function isTerminalStatus(status: string | undefined): boolean {
  return status !== undefined && TERMINAL.has(status);
}

/**
 * An operation this invocation found in the checkpoint. Unfinished, it starts again (isReplay
 * true). Finished, it is reported only if it finished outside any invocation since the last one
 * (a wait's timer, a callback): each operation's end is reported exactly once per execution.
 */
export function operationReplayed(engine: InvocationEngine, identity: OperationIdentityInfo, existing: CheckpointedOperation): Promise<void> | undefined {
  const plugins = engine.plugins;
  if (!plugins) return undefined;
  if (!isTerminalStatus(existing.Status)) return plugins.operationStart(operationInfoOf(identity, existing, true));
  if (engine.updatedOperationIds.has(identity.id)) return plugins.operationEnd(operationInfoOf(identity, existing, false));
  return undefined;
}

/** This invocation starts the operation (its START update is queued, maybe not yet stored). */
export function operationStarted(engine: InvocationEngine, identity: OperationIdentityInfo): Promise<void> | undefined {
  const plugins = engine.plugins;
  if (!plugins) return undefined;
  const info = operationInfoOf(identity, engine.operations.get(identity.id), false);
  info.status ??= PluginOperationStatus.STARTED;
  return plugins.operationStart(info);
}

/** The operation's terminal update is stored; the info is read from the stored operation. */
export function operationEnded(engine: InvocationEngine, identity: OperationIdentityInfo, error?: unknown): Promise<void> | undefined {
  const plugins = engine.plugins;
  if (!plugins) return undefined;
  const info = operationInfoOf(identity, engine.operations.get(identity.id), false);
  if (error !== undefined && info.error === undefined) info.error = asError(error);
  return plugins.operationEnd(info);
}

export function attemptStarted(engine: InvocationEngine, identity: OperationIdentityInfo, attempt: number): Promise<void> | undefined {
  const plugins = engine.plugins;
  if (!plugins) return undefined;
  const info = { ...operationInfoOf(identity, engine.operations.get(identity.id), false), attempt };
  // This attempt's own start, not the operation's (which is the first attempt's).
  info.startTimestamp = new Date();
  return plugins.attemptStart(info);
}

export function attemptEnded(
  engine: InvocationEngine,
  identity: OperationIdentityInfo,
  attempt: number,
  error?: unknown,
  retryDelaySeconds?: number,
): Promise<void> | undefined {
  const plugins = engine.plugins;
  if (!plugins) return undefined;
  const info: AttemptEndInfo = {
    ...operationInfoOf(identity, engine.operations.get(identity.id), false),
    attempt,
    outcome: error === undefined ? AttemptEndInfoOutcome.SUCCEEDED : AttemptEndInfoOutcome.FAILED,
  };
  if (error !== undefined) info.error = asError(error);
  else delete info.error;
  if (retryDelaySeconds !== undefined) info.retryDelaySeconds = retryDelaySeconds;
  // An attempt that failed and will be retried leaves the operation open (no EndTimestamp), yet the attempt has ended.
  info.endTimestamp ??= new Date();
  return plugins.attemptEnd(info);
}

/** Runs one attempt's function inside the plugins' `wrapOperationAttemptFn`. */
export function wrapAttempt<T>(engine: InvocationEngine, identity: OperationIdentityInfo, attempt: number, fn: () => Promise<T>): Promise<T> {
  const plugins = engine.plugins;
  if (!plugins) return fn();
  return plugins.wrapAttemptFn({ ...operationInfoOf(identity, engine.operations.get(identity.id), false), attempt }, fn);
}

/** Runs a context's function inside the plugins' `wrapChildContextFn`. */
export function wrapContextFn<T>(
  engine: InvocationEngine,
  identity: OperationIdentityInfo,
  flags: { isReplay: boolean; isReplayingChildren: boolean },
  fn: () => Promise<T>,
): Promise<T> {
  const plugins = engine.plugins;
  if (!plugins) return fn();
  const info: ChildContextFnInfo = {
    ...operationInfoOf(identity, engine.operations.get(identity.id), flags.isReplay),
    isReplayingChildren: flags.isReplayingChildren,
  };
  return plugins.wrapChildContextFn(info, fn);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
