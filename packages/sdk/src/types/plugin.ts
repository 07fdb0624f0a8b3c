import type { DurableExecutionInvocationOutput } from "../protocol/invocation.js";

// Instrumentation plugins: the same hook names and info shapes as the AWS SDK's plugin API, so a
// tracing or metrics plugin written for it runs on Cairn. Cairn adds a few fields (marked below).

/**
 * The contract version of a 2.4-style plugin provider (`{ pluginApiVersion, pluginType,
 * createPlugin() }`): such a provider's plugin is created once, when the handler is wrapped.
 */
export const DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION = 1;

/** How an invocation ended, as a plugin sees it. RETRYING: the invocation failed for a reason outside the handler and will be retried. */
export const PluginInvocationStatus = {
  /** The execution succeeded. */
  SUCCEEDED: "SUCCEEDED",
  /** The execution failed. */
  FAILED: "FAILED",
  /** The execution suspended; a later invocation carries on. */
  PENDING: "PENDING",
  /** The invocation failed outside the handler and will be retried. */
  RETRYING: "RETRYING",
} as const;
/** One of {@link PluginInvocationStatus}. */
export type PluginInvocationStatus = (typeof PluginInvocationStatus)[keyof typeof PluginInvocationStatus];

/** Status of an operation as a plugin sees it (the checkpointed status). */
export const PluginOperationStatus = {
  /** Running. */
  STARTED: "STARTED",
  /** A step retry is due. */
  READY: "READY",
  /** A step retry is scheduled. */
  PENDING: "PENDING",
  /** Finished with a result. */
  SUCCEEDED: "SUCCEEDED",
  /** Finished with an error. */
  FAILED: "FAILED",
  /** A callback or invoke timed out. */
  TIMED_OUT: "TIMED_OUT",
  /** Stopped with the execution. */
  STOPPED: "STOPPED",
  /** Cancelled. */
  CANCELLED: "CANCELLED",
} as const;
/** One of {@link PluginOperationStatus}. */
export type PluginOperationStatus = (typeof PluginOperationStatus)[keyof typeof PluginOperationStatus];

/** One durable operation. Fields the checkpoint does not have yet (e.g. at a live start) are absent. */
export interface OperationInfo {
  /** The operation's positional id (`"2-1"`). */
  id: string;
  /** The name given in the handler. */
  name?: string;
  /** STEP, WAIT, CONTEXT, CALLBACK, CHAINED_INVOKE. */
  type: string;
  /** Step, Wait, RunInChildContext, Parallel, ParallelBranch, Map, MapIteration, … */
  subType?: string;
  /** The enclosing context's id. */
  parentId?: string;
  /** The checkpointed status. */
  status?: PluginOperationStatus;
  /** When it started (for an attempt, when this attempt began). */
  startTimestamp?: Date;
  /** When it finished. */
  endTimestamp?: Date;
  /** The checkpointed serialized result, exactly as stored. */
  result?: string;
  /** The error the operation failed with, rebuilt from its checkpoint. */
  error?: Error;
  /** 1-based attempt (steps). */
  attempt?: number;
  /**
   * For operation-start: false when this invocation starts the operation, true when the
   * operation was checkpointed by an earlier invocation and is picked up again. For operation-end:
   * false when the operation reached its terminal status during (or just before) this invocation.
   */
  isReplay: boolean;
}

/** What `onOperationEnd` receives: an operation at its terminal status. */
export interface OperationEndInfo extends OperationInfo {
  /** The error it failed with, rebuilt from its checkpoint. */
  error?: Error;
}

/** One attempt of a step body (also a waitForCallback submitter or a waitForCondition check). */
export interface AttemptInfo extends OperationInfo {
  /** 1-based attempt number. */
  attempt: number;
}

/** How an attempt ended. */
export const AttemptEndInfoOutcome = {
  /** The body returned. */
  SUCCEEDED: "SUCCEEDED",
  /** The body threw (it may be retried). */
  FAILED: "FAILED",
} as const;
/** One of {@link AttemptEndInfoOutcome}. */
export type AttemptEndInfoOutcome = (typeof AttemptEndInfoOutcome)[keyof typeof AttemptEndInfoOutcome];

/**
 * What `onOperationAttemptEnd` receives; always has an `endTimestamp`, also for a failed attempt that
 * will be retried.
 */
export interface AttemptEndInfo extends AttemptInfo {
  /** How the attempt ended. */
  outcome: AttemptEndInfoOutcome;
  /** The attempt's error, when it FAILED. */
  error?: Error;
  /**
   * Cairn addition: when the attempt FAILED and the step will be retried, the delay (whole seconds)
   * its retry strategy chose before the next attempt. Absent when no retry follows.
   */
  retryDelaySeconds?: number;
}

/** What `wrapChildContextFn` receives (Cairn adds `isReplayingChildren`). */
export interface ChildContextFnInfo extends OperationInfo {
  /** The context function re-runs over child operations that are already checkpointed. */
  isReplayingChildren: boolean;
}

/** Fields every invocation hook receives. */
export interface InvocationBaseInfo {
  /** The invocation's request id. */
  requestId: string;
  /** The execution. */
  executionArn: string;
  /** The execution's input event. */
  executionInput: unknown;
  /** Every operation of the execution, by id (built when first read). */
  operations: Record<string, OperationInfo>;
  /** When the execution (not this invocation) started. */
  executionStartTimestamp?: Date;
}

/** What `onInvocationStart`, `wrapInvocation` and a factory's `createPlugin` receive. */
export interface InvocationInfo extends InvocationBaseInfo {
  /** No operation had been checkpointed before this invocation. */
  isFirstInvocation: boolean;
  /** Operations completed outside any invocation since the last one (a wait's timer, a callback, a chained invoke). */
  updatedOperations: Record<string, OperationInfo>;
}

/** What `onInvocationEnd` receives. */
export interface InvocationEndInfo extends InvocationBaseInfo {
  /** How the invocation ended. */
  status: PluginInvocationStatus;
  /** The handler's result, when it SUCCEEDED. */
  executionResult?: unknown;
  /** The error, when it FAILED. */
  executionError?: Error;
  /** Cairn addition: the same flag as on this invocation's start info. */
  isFirstInvocation: boolean;
}

/** What `onOperationChange` receives after each stored checkpoint. */
export interface OperationChangeInfo {
  /** The execution. */
  executionArn: string;
  /** Operations whose checkpointed state the last acknowledged checkpoint changed. */
  updatedOperations: Record<string, OperationInfo>;
  /** Every operation of the execution, by id (built when first read). */
  operations: Record<string, OperationInfo>;
}

/** What a wrapped function returns (a wrapper passes it on unchanged). */
export type CustomerFnResult = unknown;
/** The function a `wrap*` hook wraps: call it once and return its result. */
export type CustomerFn = () => CustomerFnResult;

/**
 * Hooks into the lifecycle of invocations, operations and attempts. Every `on*` hook is awaited
 * before execution moves past the point it observes (hooks of several plugins run concurrently).
 * A hook that throws or rejects is ignored: plugins never change an execution's outcome, and one
 * plugin's failure never keeps another from being called. `wrap*` hooks must call `fn` and return
 * what it returns.
 */
export interface DurableInstrumentationPlugin {
  /** Before the handler runs, in every invocation. */
  onInvocationStart?(info: InvocationInfo): Promise<void> | void;
  /** Around the whole invocation; must return `fn()`'s result. */
  wrapInvocation?(
    info: InvocationInfo,
    fn: () => Promise<DurableExecutionInvocationOutput>,
  ): Promise<DurableExecutionInvocationOutput>;
  /** Awaited before the invocation returns: the place to flush exporters. */
  onInvocationEnd?(info: InvocationEndInfo): Promise<void> | void;
  /**
   * An operation starts (`isReplay: false`), or an unfinished one is picked up by a later invocation
   * (`isReplay: true`).
   */
  onOperationStart?(info: OperationInfo): Promise<void> | void;
  /**
   * Around a context's function (child context, branch, map item); `info.isReplayingChildren` says
   * whether it re-runs over checkpointed children.
   */
  wrapChildContextFn?(info: ChildContextFnInfo, fn: CustomerFn): CustomerFnResult;
  /** An operation reached its terminal status; once per operation per execution. */
  onOperationEnd?(info: OperationEndInfo): Promise<void> | void;
  /** Before each attempt of a step body. */
  onOperationAttemptStart?(info: AttemptInfo): Promise<void> | void;
  /** Around each attempt's function. */
  wrapOperationAttemptFn?(info: AttemptInfo, fn: CustomerFn): CustomerFnResult;
  /** After each attempt, succeeded or failed. */
  onOperationAttemptEnd?(info: AttemptEndInfo): Promise<void> | void;
  /** A checkpoint was stored: the operations it changed and the full map. */
  onOperationChange?(info: OperationChangeInfo): Promise<void> | void;
  /** Extra fields stamped on every line of `ctx.logger` (e.g. a trace id). */
  enrichLogContext?(): Record<string, string | number | boolean> | undefined;
}

/** The class of a plugin, as a 2.4-style provider declares it. */
export type DurableInstrumentationPluginType<Plugin extends DurableInstrumentationPlugin = DurableInstrumentationPlugin> =
  abstract new (...args: never[]) => Plugin;

/**
 * A 2.4-style provider (the `durableExecutionPluginProvider` export of a module named in
 * `DURABLE_EXECUTION_PLUGINS`, or an entry of `config.plugins`): `createPlugin()` is called once,
 * when the handler is wrapped, and must return an instance of `pluginType`.
 */
export interface DurableInstrumentationPluginProvider<Plugin extends DurableInstrumentationPlugin = DurableInstrumentationPlugin> {
  /** Always {@link DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION}. */
  readonly pluginApiVersion: typeof DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION;
  /** The plugin's class; `createPlugin()` must return an instance of it. */
  readonly pluginType: DurableInstrumentationPluginType<Plugin>;
  /** Creates the plugin, once, when the handler is wrapped. */
  createPlugin(): Plugin;
}

/**
 * A plugin factory (the AWS SDK 3.0 form): `createPlugin(info)` is called once per invocation,
 * before any of its hooks, with the same info `onInvocationStart` then receives, so the plugin can
 * keep per-invocation state in plain fields. A factory that throws or returns nothing leaves its
 * plugin out of that invocation (with a process warning); the execution is not affected.
 *
 * @example
 * ```ts
 * withDurableExecution(handler, {
 *   plugins: [{ createPlugin: (info) => new TracingPlugin(info.executionArn) }],
 * });
 * ```
 */
export interface DurableInstrumentationPluginFactory<Plugin extends DurableInstrumentationPlugin = DurableInstrumentationPlugin> {
  /** Creates this invocation's plugin; null or undefined leaves it out. */
  createPlugin(info: InvocationInfo): Plugin | null | undefined;
}

/**
 * What `config.plugins` accepts: plugin objects (AWS SDK 2.4), factories (3.0) and 2.4-style
 * providers, in any mix; hooks run in the order given.
 */
export type DurableInstrumentationPluginEntry =
  | DurableInstrumentationPlugin
  | DurableInstrumentationPluginFactory
  | DurableInstrumentationPluginProvider;
