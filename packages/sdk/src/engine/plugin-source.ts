// Where an invocation's plugins come from: `config.plugins` (plugin objects as in AWS SDK 2.4,
// factories as in 3.0, 2.4-style providers) and the modules DURABLE_EXECUTION_PLUGINS names.
import { PluginLoadError } from "../errors/plugin-load-error.js";
import { ValidationError } from "../errors/validation-error.js";
import {
  DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION,
  type DurableInstrumentationPlugin,
  type DurableInstrumentationPluginEntry,
  type DurableInstrumentationPluginFactory,
  type DurableInstrumentationPluginProvider,
} from "../types/plugin.js";
import { PLUGIN_ENVIRONMENT_VARIABLE, PLUGIN_PROVIDER_EXPORT, configuredSpecifiers, loadProviders } from "./plugin-loader.js";
import { PluginRunner, type PluginRegistration } from "./plugin-runner.js";

type Environment = Readonly<Record<string, string | undefined>>;
type ErrorOf = new (message: string, options?: { cause?: unknown }) => Error;

const FACTORY_HINT = "a factory such as { createPlugin: (info) => new MyPlugin() }";

/**
 * The plugins configured for a wrapped handler. `config.plugins` is checked when the handler is
 * wrapped (a bad entry throws a ValidationError naming it); the modules listed in
 * DURABLE_EXECUTION_PLUGINS start loading then too, and a failure to load them fails the
 * invocations that need them with a PluginLoadError.
 */
export class PluginSource {
  readonly #registrations: Promise<PluginRegistration[]>;

  private constructor(registrations: Promise<PluginRegistration[]>) {
    this.#registrations = registrations;
    // Awaited by every invocation; until then a rejection must not count as unhandled.
    registrations.catch(() => undefined);
  }

  /** Undefined when no plugin is configured either way: the engine then pays nothing for plugins. */
  static of(entries: readonly DurableInstrumentationPluginEntry[] | undefined, environment: Environment = process.env): PluginSource | undefined {
    if (entries !== undefined && !Array.isArray(entries)) {
      throw new ValidationError(`withDurableExecution: plugins must be an array of plugin objects or factories, e.g. { plugins: [myPlugin] }.`);
    }
    const explicit = (entries ?? []).map((entry, index) => registrationOf(entry, `plugins[${index}]`, ValidationError));
    const configured = environment[PLUGIN_ENVIRONMENT_VARIABLE];
    if (explicit.length === 0 && (configured === undefined || configured.trim() === "")) return undefined;
    return new PluginSource(withEnvironment(explicit, environment));
  }

  /** A runner for one invocation (factories are called at its start), or undefined if there is no plugin. */
  async forInvocation(): Promise<PluginRunner | undefined> {
    const registrations = await this.#registrations;
    return registrations.length === 0 ? undefined : new PluginRunner(registrations);
  }
}

async function withEnvironment(explicit: PluginRegistration[], environment: Environment): Promise<PluginRegistration[]> {
  const specifiers = configuredSpecifiers(environment);
  if (specifiers.length === 0) return explicit;
  const loaded = await loadProviders(specifiers, environment);
  const fromEnvironment = loaded.map(({ specifier, provider }) => {
    const label = `plugin module '${specifier}'`;
    // A module's export must say it is a plugin source; a bare plugin object is not accepted there.
    if (!isRecord(provider) || (!("pluginApiVersion" in provider) && typeof provider.createPlugin !== "function")) {
      throw new PluginLoadError(
        `${label} exports '${PLUGIN_PROVIDER_EXPORT}' as ${describe(provider)}; export ${FACTORY_HINT} ` +
          `(or a 2.4 provider { pluginApiVersion: ${DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION}, pluginType, createPlugin() }).`,
      );
    }
    return registrationOf(provider, label, PluginLoadError);
  });
  return [...explicit, ...fromEnvironment];
}

/** Sorts one entry into a plugin used as is, or a factory called per invocation. */
function registrationOf(entry: unknown, label: string, ErrorType: ErrorOf): PluginRegistration {
  if (typeof entry === "function" && typeof (entry as { createPlugin?: unknown }).createPlugin !== "function") {
    throw new ErrorType(
      `${label} is a function (a plugin class?); pass an instance (new MyPlugin()) or ${FACTORY_HINT}.`,
    );
  }
  if (!isRecord(entry) && typeof entry !== "function") {
    throw new ErrorType(`${label} must be an object with hook methods, or ${FACTORY_HINT}; got ${describe(entry)}.`);
  }
  const candidate = entry as Record<string, unknown>;
  if ("pluginApiVersion" in candidate) return { plugin: providedPlugin(candidate, label, ErrorType) };
  if (typeof candidate.createPlugin === "function") {
    return { factory: candidate as unknown as DurableInstrumentationPluginFactory, label };
  }
  return { plugin: entry as DurableInstrumentationPlugin };
}

/** A 2.4-style provider: its plugin is created once, now, and checked against its declared type. */
function providedPlugin(provider: Record<string, unknown>, label: string, ErrorType: ErrorOf): DurableInstrumentationPlugin {
  if (provider.pluginApiVersion !== DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION) {
    throw new ErrorType(
      `${label} declares plugin API version ${String(provider.pluginApiVersion)}, which this SDK does not know; ` +
        `use version ${DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION}, or drop pluginApiVersion and pass ${FACTORY_HINT}.`,
    );
  }
  const { pluginType, createPlugin } = provider as Partial<DurableInstrumentationPluginProvider> & Record<string, unknown>;
  if (typeof pluginType !== "function" || !isRecord(pluginType.prototype)) {
    throw new ErrorType(`${label} must declare its plugin class as pluginType.`);
  }
  if (typeof createPlugin !== "function") throw new ErrorType(`${label} must define createPlugin().`);
  let plugin: unknown;
  try {
    plugin = createPlugin.call(provider);
  } catch (error) {
    throw new ErrorType(`${label} failed to create its plugin: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!(plugin instanceof pluginType)) {
    throw new ErrorType(`${label} declares plugin type ${pluginType.name || "(anonymous)"} but createPlugin() returned ${describe(plugin)}.`);
  }
  return plugin;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
