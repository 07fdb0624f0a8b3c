// Loads the plugin modules named in DURABLE_EXECUTION_PLUGINS. Node's module APIs are imported
// lazily, only when the variable is set, so a handler bundle that does not use it carries none.
import { PluginLoadError } from "../errors/plugin-load-error.js";

/** The environment variable that lists plugin modules, comma-separated, in hook order. */
export const PLUGIN_ENVIRONMENT_VARIABLE = "DURABLE_EXECUTION_PLUGINS";
/** The export a plugin module provides: a factory (`{ createPlugin(info) }`) or a 2.4-style provider. */
export const PLUGIN_PROVIDER_EXPORT = "durableExecutionPluginProvider";

type Environment = Readonly<Record<string, string | undefined>>;

/** One module's provider export, not yet checked. */
export interface LoadedProvider {
  specifier: string;
  provider: unknown;
}

/** The module specifiers the variable lists; empty when it is unset or blank. */
export function configuredSpecifiers(environment: Environment): string[] {
  const raw = environment[PLUGIN_ENVIRONMENT_VARIABLE];
  if (raw === undefined || raw.trim() === "") return [];
  const specifiers = raw.split(",").map((s) => s.trim());
  if (specifiers.some((s) => s === "")) {
    throw new PluginLoadError(
      `${PLUGIN_ENVIRONMENT_VARIABLE} must list non-empty package or module specifiers separated by commas, got "${raw}".`,
    );
  }
  const seen = new Set<string>();
  for (const specifier of specifiers) {
    if (seen.has(specifier)) {
      throw new PluginLoadError(`${PLUGIN_ENVIRONMENT_VARIABLE} lists '${specifier}' twice; list each plugin module once.`);
    }
    seen.add(specifier);
  }
  return specifiers;
}

/** Imports each listed module, in order, and returns its provider export. */
export async function loadProviders(specifiers: readonly string[], environment: Environment): Promise<LoadedProvider[]> {
  const out: LoadedProvider[] = [];
  for (const specifier of specifiers) {
    let namespace: unknown;
    try {
      namespace = await importPluginModule(specifier, environment);
    } catch (error) {
      throw new PluginLoadError(`could not load plugin module '${specifier}' listed in ${PLUGIN_ENVIRONMENT_VARIABLE}: ${messageOf(error)}`, {
        cause: error,
      });
    }
    out.push({ specifier, provider: providerExport(specifier, namespace) });
  }
  return out;
}

function providerExport(specifier: string, namespace: unknown): unknown {
  if (!isRecord(namespace)) {
    throw new PluginLoadError(`plugin module '${specifier}' did not evaluate to a module namespace object.`);
  }
  // An ESM module exports it by name; a CommonJS module seen through import() has it on `default`.
  const direct = namespace[PLUGIN_PROVIDER_EXPORT];
  const fallback = isRecord(namespace.default) ? namespace.default[PLUGIN_PROVIDER_EXPORT] : undefined;
  if (direct !== undefined && fallback !== undefined && direct !== fallback) {
    throw new PluginLoadError(`plugin module '${specifier}' exports two different '${PLUGIN_PROVIDER_EXPORT}' values; export one.`);
  }
  const provider = direct ?? fallback;
  if (provider === undefined) {
    throw new PluginLoadError(
      `plugin module '${specifier}' must export '${PLUGIN_PROVIDER_EXPORT}', e.g. ` +
        `export const ${PLUGIN_PROVIDER_EXPORT} = { createPlugin: (info) => new MyPlugin() }.`,
    );
  }
  return provider;
}

/**
 * Bare names are imported as such first (found from this package's location, like any import), then
 * resolved from the application's root (LAMBDA_TASK_ROOT, else the working directory) — where a
 * function's own packages and its layers' `nodejs/node_modules` are found. Relative specifiers are
 * relative to that root.
 */
async function importPluginModule(specifier: string, environment: Environment): Promise<unknown> {
  const [{ createRequire }, path] = await Promise.all([import("node:module"), import("node:path")]);
  if (path.isAbsolute(specifier)) return importFile(specifier);
  const root = environment.LAMBDA_TASK_ROOT?.trim() || process.cwd();
  const requireFromRoot = createRequire(path.join(root, "package.json"));
  if (!specifier.startsWith(".")) {
    try {
      return await import(specifier);
    } catch (error) {
      if (!isNotFound(error, specifier)) throw error;
    }
  }
  let resolved: string;
  try {
    resolved = requireFromRoot.resolve(specifier);
  } catch (error) {
    throw new Error(
      `'${specifier}' cannot be found from ${root} (${messageOf(error)}). Install it with the function ` +
        `or in a Lambda layer under nodejs/node_modules, or list it by absolute path.`,
      { cause: error },
    );
  }
  return importFile(resolved);
}

/**
 * `import()` of a file. In the CommonJS build it becomes `require`, which cannot load an ES module
 * on every Node version; such a module is then loaded with the runtime's own `import()`.
 */
async function importFile(file: string): Promise<unknown> {
  const { pathToFileURL } = await import("node:url");
  // A plain absolute path works for both import() and require() except on Windows.
  const target = process.platform === "win32" ? pathToFileURL(file).href : file;
  try {
    return await import(target);
  } catch (error) {
    if (codeOf(error) !== "ERR_REQUIRE_ESM") throw error;
    return nativeImport(pathToFileURL(file).href);
  }
}

// Kept out of the bundler's sight, so the CommonJS build keeps a real dynamic import here.
const nativeImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** The module itself is missing (not one of its own dependencies). */
function isNotFound(error: unknown, specifier: string): boolean {
  const code = codeOf(error);
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = messageOf(error);
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  return [specifier, name].some((target) => message.includes(`'${target}'`) || message.includes(`"${target}"`));
}

function codeOf(error: unknown): unknown {
  return isRecord(error) ? error.code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
