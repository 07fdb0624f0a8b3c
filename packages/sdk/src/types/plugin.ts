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
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  PENDING: "PENDING",
  RETRYING: "RETRYING",
} as const;
export type PluginInvocationStatus = (typeof PluginInvocationStatus)[keyof typeof PluginInvocationStatus];

/** Status of an operation as a plugin sees it (the checkpointed status). */
export const PluginOperationStatus = {
  STARTED: "STARTED",
  READY: "READY",
  PENDING: "PENDING",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  TIMED_OUT: "TIMED_OUT",
  STOPPED: "STOPPED",
  CANCELLED: "CANCELLED",
} as const;
export type PluginOperationStatus = (typeof PluginOperationStatus)[keyof typeof PluginOperationStatus];

/** One durable operation. Fields the checkpoint does not have yet (e.g. at a live start) are absent. */
export interface OperationInfo {
  id: string;
  name?: string;
  /** STEP, WAIT, CONTEXT, CALLBACK, CHAINED_INVOKE. */
  type: string;
  /** Step, Wait, RunInChildContext, Parallel, ParallelBranch, Map, MapIteration, … */
  subType?: string;
  parentId?: string;
  status?: PluginOperationStatus;
  startTimestamp?: Date;
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

export interface OperationEndInfo extends OperationInfo {
  error?: Error;
}

export interface AttemptInfo extends OperationInfo {
  attempt: number;
}

export const AttemptEndInfoOutcome = {
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
} as const;
export type AttemptEndInfoOutcome = (typeof AttemptEndInfoOutcome)[keyof typeof AttemptEndInfoOutcome];

export interface AttemptEndInfo extends AttemptInfo {
  outcome: AttemptEndInfoOutcome;
  error?: Error;
}

/** What `wrapChildContextFn` receives (Cairn adds `isReplayingChildren`). */
export interface ChildContextFnInfo extends OperationInfo {
  /** The context function re-runs over child operations that are already checkpointed. */
  isReplayingChildren: boolean;
}

export interface InvocationBaseInfo {
  requestId: string;
  executionArn: string;
  executionInput: unknown;
  /** Every operation of the execution, by id (built when first read). */
  operations: Record<string, OperationInfo>;
  /** When the execution (not this invocation) started. */
  executionStartTimestamp?: Date;
}

export interface InvocationInfo extends InvocationBaseInfo {
  /** No operation had been checkpointed before this invocation. */
  isFirstInvocation: boolean;
  /** Operations completed outside any invocation since the last one (a wait's timer, a callback, a chained invoke). */
  updatedOperations: Record<string, OperationInfo>;
}

export interface InvocationEndInfo extends InvocationBaseInfo {
  status: PluginInvocationStatus;
  executionResult?: unknown;
  executionError?: Error;
  /** Cairn addition: the same flag as on this invocation's start info. */
  isFirstInvocation: boolean;
}

export interface OperationChangeInfo {
  executionArn: string;
  /** Operations whose checkpointed state the last acknowledged checkpoint changed. */
  updatedOperations: Record<string, OperationInfo>;
  /** Every operation of the execution, by id (built when first read). */
  operations: Record<string, OperationInfo>;
}

export type CustomerFnResult = unknown;
export type CustomerFn = () => CustomerFnResult;

/**
 * Hooks into the lifecycle of invocations, operations and attempts. Every `on*` hook is awaited
 * before execution moves past the point it observes (hooks of several plugins run concurrently).
 * A hook that throws or rejects is ignored: plugins never change an execution's outcome, and one
 * plugin's failure never keeps another from being called. `wrap*` hooks must call `fn` and return
 * what it returns.
 */
export interface DurableInstrumentationPlugin {
  onInvocationStart?(info: InvocationInfo): Promise<void> | void;
  wrapInvocation?(
    info: InvocationInfo,
    fn: () => Promise<DurableExecutionInvocationOutput>,
  ): Promise<DurableExecutionInvocationOutput>;
  /** Awaited before the invocation returns: the place to flush exporters. */
  onInvocationEnd?(info: InvocationEndInfo): Promise<void> | void;
  onOperationStart?(info: OperationInfo): Promise<void> | void;
  wrapChildContextFn?(info: ChildContextFnInfo, fn: CustomerFn): CustomerFnResult;
  onOperationEnd?(info: OperationEndInfo): Promise<void> | void;
  onOperationAttemptStart?(info: AttemptInfo): Promise<void> | void;
  wrapOperationAttemptFn?(info: AttemptInfo, fn: CustomerFn): CustomerFnResult;
  onOperationAttemptEnd?(info: AttemptEndInfo): Promise<void> | void;
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
  readonly pluginApiVersion: typeof DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION;
  readonly pluginType: DurableInstrumentationPluginType<Plugin>;
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
