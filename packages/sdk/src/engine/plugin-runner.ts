import type { DurableExecutionInvocationOutput } from "../protocol/invocation.js";
import type {
  AttemptEndInfo,
  AttemptInfo,
  ChildContextFnInfo,
  DurableInstrumentationPlugin,
  DurableInstrumentationPluginFactory,
  InvocationEndInfo,
  InvocationInfo,
  OperationChangeInfo,
  OperationEndInfo,
  OperationInfo,
} from "../types/plugin.js";

type NotifyHook =
  | "onInvocationStart"
  | "onInvocationEnd"
  | "onOperationStart"
  | "onOperationEnd"
  | "onOperationAttemptStart"
  | "onOperationAttemptEnd"
  | "onOperationChange";

/** Marks work the invocation must not be suspended under (see SuspensionTracker). */
export interface BusyTracker {
  bodyStarted(): void;
  bodyEnded(): void;
}

/** A configured plugin: used as is, or a factory that makes one per invocation. */
export type PluginRegistration =
  | { plugin: DurableInstrumentationPlugin }
  | { factory: DurableInstrumentationPluginFactory; label: string };

/**
 * Dispatches lifecycle events to the registered plugins. Hooks of different plugins run
 * concurrently; each dispatch settles when all of them have, and never rejects: a plugin that
 * throws (synchronously or by rejecting) is reported as a process warning and otherwise ignored.
 *
 * The engine holds no runner at all when no plugin is registered, so operations pay nothing for
 * the feature unless it is used. Plugins come from a PluginSource (see plugin-source.ts).
 */
export class PluginRunner {
  #plugins: DurableInstrumentationPlugin[];
  readonly #registrations: readonly PluginRegistration[];
  readonly #pending = new Set<Promise<void>>();
  #busy: BusyTracker | undefined;

  /** One runner serves one invocation, so the plugins its factories create serve only that invocation. */
  constructor(registrations: readonly PluginRegistration[]) {
    this.#registrations = registrations;
    this.#plugins = registrations.flatMap((r) => ("plugin" in r ? [r.plugin] : []));
  }

  /** Hooks running while the handler could otherwise suspend keep the invocation alive. */
  attach(busy: BusyTracker): void {
    this.#busy = busy;
  }

  get hasOperationChange(): boolean {
    return this.#plugins.some((p) => typeof p.onOperationChange === "function");
  }

  /** Creates the factories' plugins (with this same info, as the AWS SDK does), then notifies. */
  invocationStart(info: InvocationInfo): Promise<void> {
    if (this.#registrations.some((r) => "factory" in r)) this.#plugins = this.#registrations.flatMap((r) => this.#instantiate(r, info));
    return this.#notify("onInvocationStart", info);
  }

  #instantiate(registration: PluginRegistration, info: InvocationInfo): DurableInstrumentationPlugin[] {
    if ("plugin" in registration) return [registration.plugin];
    // A factory that fails sits this invocation out, like a failing hook: plugins never decide an outcome.
    try {
      const plugin = registration.factory.createPlugin(info);
      if (plugin !== null && typeof plugin === "object") return [plugin];
      warn("createPlugin", new Error(`${registration.label}.createPlugin(info) returned ${plugin === null ? "null" : typeof plugin}, not a plugin`));
    } catch (error) {
      warn("createPlugin", error);
    }
    return [];
  }

  invocationEnd(info: InvocationEndInfo): Promise<void> {
    return this.#notify("onInvocationEnd", info);
  }

  operationStart(info: OperationInfo): Promise<void> {
    return this.#notify("onOperationStart", info);
  }

  operationEnd(info: OperationEndInfo): Promise<void> {
    return this.#notify("onOperationEnd", info);
  }

  attemptStart(info: AttemptInfo): Promise<void> {
    return this.#notify("onOperationAttemptStart", info);
  }

  attemptEnd(info: AttemptEndInfo): Promise<void> {
    return this.#notify("onOperationAttemptEnd", info);
  }

  /** Not awaited by the code that caused the change; `idle()` waits for it. */
  operationChange(info: OperationChangeInfo): void {
    void this.#notify("onOperationChange", info);
  }

  /** Settles when every dispatch started so far has settled. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** Extra log fields from every plugin that offers them; a throwing plugin adds nothing. */
  enrichLogContext(): Record<string, string | number | boolean> | undefined {
    let out: Record<string, string | number | boolean> | undefined;
    for (const plugin of this.#plugins) {
      if (typeof plugin.enrichLogContext !== "function") continue;
      try {
        const extra = plugin.enrichLogContext();
        if (extra && typeof extra === "object") out = { ...out, ...extra };
      } catch (error) {
        warn("enrichLogContext", error);
      }
    }
    return out;
  }

  /** Runs the invocation inside every plugin's `wrapInvocation`, first plugin outermost. */
  wrapInvocation(
    info: InvocationInfo,
    fn: () => Promise<DurableExecutionInvocationOutput>,
  ): Promise<DurableExecutionInvocationOutput> {
    return this.#wrap("wrapInvocation", fn, (plugin, inner) =>
      plugin.wrapInvocation?.(info, inner as () => Promise<DurableExecutionInvocationOutput>),
    ) as Promise<DurableExecutionInvocationOutput>;
  }

  wrapChildContextFn<T>(info: ChildContextFnInfo, fn: () => Promise<T>): Promise<T> {
    return this.#wrap("wrapChildContextFn", fn, (plugin, inner) => plugin.wrapChildContextFn?.(info, inner)) as Promise<T>;
  }

  wrapAttemptFn<T>(info: AttemptInfo, fn: () => Promise<T>): Promise<T> {
    return this.#wrap("wrapOperationAttemptFn", fn, (plugin, inner) => plugin.wrapOperationAttemptFn?.(info, inner)) as Promise<T>;
  }

  #notify<I>(hook: NotifyHook, info: I): Promise<void> {
    const calls: Promise<unknown>[] = [];
    for (const plugin of this.#plugins) {
      const method = plugin[hook] as ((info: I) => unknown) | undefined;
      if (typeof method !== "function") continue;
      try {
        const returned = method.call(plugin, info);
        if (isThenable(returned)) calls.push(Promise.resolve(returned).catch((error: unknown) => warn(hook, error)));
      } catch (error) {
        warn(hook, error);
      }
    }
    if (calls.length === 0) return Promise.resolve();
    // An async hook counts as running work: the invocation must not suspend under it.
    this.#busy?.bodyStarted();
    const settled = Promise.all(calls).then(() => {
      this.#pending.delete(settled);
      this.#busy?.bodyEnded();
    });
    this.#pending.add(settled);
    return settled;
  }

  /**
   * Nests `fn` in each plugin's wrapper. A wrapper that throws before calling `fn` is skipped (the
   * function still runs, once); an error `fn` itself throws passes through unchanged.
   */
  #wrap(
    hook: "wrapInvocation" | "wrapChildContextFn" | "wrapOperationAttemptFn",
    fn: () => Promise<unknown>,
    call: (plugin: DurableInstrumentationPlugin, inner: () => Promise<unknown>) => unknown,
  ): Promise<unknown> {
    let wrapped = fn;
    for (let i = this.#plugins.length - 1; i >= 0; i--) {
      const plugin = this.#plugins[i] as DurableInstrumentationPlugin;
      if (typeof plugin[hook] !== "function") continue;
      const inner = wrapped;
      wrapped = () => {
        let run: Promise<unknown> | undefined;
        const once = (): Promise<unknown> => (run ??= inner());
        let returned: unknown;
        try {
          returned = call(plugin, once);
        } catch (error) {
          warn(hook, error);
          return once();
        }
        if (run === undefined && !isThenable(returned)) {
          // The wrapper did not call fn: run it anyway, a plugin must not skip the handler's code.
          warn(hook, new Error(`${hook} returned without calling fn`));
          return once();
        }
        // Whatever the wrapper returns, the outcome is fn's own (wrappers observe, they do not replace).
        return Promise.resolve(returned).then(
          () => {
            if (run) return run;
            warn(hook, new Error(`${hook} settled without calling fn`));
            return once();
          },
          (error: unknown) => {
            // If fn failed, its error is the outcome; if only the wrapper failed, fn's result is.
            if (run) return run;
            warn(hook, error);
            return once();
          },
        );
      };
    }
    return wrapped();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}

const warned = new Set<string>();

/** One process warning per hook and message, so a plugin failing on every operation does not flood stderr. */
function warn(hook: string, error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const key = `${hook}:${message}`;
  if (warned.has(key)) return;
  if (warned.size < 100) warned.add(key);
  process.emitWarning(`A durable instrumentation plugin's ${hook} hook failed; ignored: ${message}`, "CairnPluginWarning");
}
