import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DurableInvocationHandler } from "@cairn/sdk/orchestrator";
import { compileHandler, HandlerCompileError, TYPESCRIPT_EXTENSIONS } from "./handler-compiler.js";
import { UsageError } from "./usage-error.js";

/**
 * What withDurableExecution marks its handlers with (a registered symbol, so it is the same
 * through the SDK's ESM and CJS builds and across installed copies of it).
 */
const DURABLE_HANDLER_MARK = Symbol.for("cairn.durableHandler");

export interface LoadedHandler {
  handler: DurableInvocationHandler;
  /** Absolute path of the module. */
  path: string;
  /** The export that held the handler. */
  exportName: string;
  /**
   * sha256 (hex) of the module file as it was loaded: recorded when an execution starts, so a
   * later `resume` can tell that the code changed. Covers this file only, not what it imports.
   */
  contentSha256: string;
  /**
   * The files the handler was loaded from: for a compiled handler, it and the relative modules
   * bundled with it; otherwise the file alone. What `cairn dev` watches.
   */
  sourceFiles: string[];
}

/** How to load: `compile` bundles a JavaScript handler too (fresh relative imports on each load). */
export interface LoadHandlerOptions {
  compile?: boolean;
}

/** The module could be found but not evaluated (a syntax error, a failing import): exit 1. */
export class HandlerLoadError extends Error {
  readonly errorType = "HandlerLoadError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HandlerLoadError";
  }
}

const RUNNABLE = new Set([".js", ".mjs", ".cjs"]);

/**
 * Imports a handler module and picks its durable handler: `exportName` when given, else the
 * `handler` export, else the default export. A TypeScript file (.ts, .mts, .cts, .tsx) is compiled
 * first (see compileHandler); one that does not compile is a HandlerLoadError carrying esbuild's
 * messages, raised before any execution exists.
 */
export async function loadHandler(
  file: string,
  exportName?: string,
  cwd = process.cwd(),
  options: LoadHandlerOptions = {},
): Promise<LoadedHandler> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new UsageError(`Handler file not found: ${path}`);
  if (!statSync(path).isFile()) throw new UsageError(`Handler path is not a file: ${path}`);
  const extension = extname(path);
  const typeScript = TYPESCRIPT_EXTENSIONS.includes(extension);
  if (!RUNNABLE.has(extension) && !typeScript) {
    throw new UsageError(
      `Handler file must be a JavaScript (.js, .mjs, .cjs) or TypeScript (.ts, .mts, .cts, .tsx) module, got ${path}.`,
    );
  }
  const contentSha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
  let moduleFile = path;
  let sourceFiles = [path];
  if (typeScript || options.compile === true) {
    try {
      const compiled = await compileHandler(path);
      moduleFile = compiled.file;
      sourceFiles = compiled.inputs;
    } catch (error) {
      if (error instanceof HandlerCompileError) {
        throw new HandlerLoadError(`${error.message}\nNo execution was started.`, { cause: error });
      }
      throw error;
    }
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(moduleFile).href)) as Record<string, unknown>;
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new HandlerLoadError(`Could not load handler module ${path}: ${detail}`, { cause: error });
  }
  const candidates = exportName !== undefined ? [exportName] : ["handler", "default"];
  const chosen = candidates.find((name) => module[name] !== undefined);
  if (chosen === undefined) {
    const available = Object.keys(module);
    throw new UsageError(
      `${path} has no export ${candidates.map((c) => `"${c}"`).join(" or ")}. ` +
        (available.length > 0 ? `It exports: ${available.join(", ")}. ` : "It has no exports. ") +
        'Export the function returned by withDurableExecution(...) as "handler", or name it with --export NAME.',
    );
  }
  const handler = module[chosen];
  if (typeof handler !== "function") {
    throw new UsageError(
      `Export "${chosen}" of ${path} is ${handler === null ? "null" : typeof handler}, not a function. ` +
        "It must be the function returned by withDurableExecution(...).",
    );
  }
  if ((handler as unknown as Record<symbol, unknown>)[DURABLE_HANDLER_MARK] !== true) {
    // Refused before any execution exists: invoked, it would only crash every invocation.
    const name = handler.name === "" || handler.name === chosen ? "" : ` (function ${handler.name})`;
    throw new UsageError(
      `Export "${chosen}" of ${path}${name} is not a durable handler: it was not made by withDurableExecution ` +
        "from @cairn/sdk. Wrap the handler and export what withDurableExecution returns, e.g.\n" +
        '  import { withDurableExecution } from "@cairn/sdk";\n' +
        "  export const handler = withDurableExecution(async (event, ctx) => { ... });\n" +
        "or name the export that holds it with --export NAME. No execution was started.",
    );
  }
  return { handler: handler as DurableInvocationHandler, path, exportName: chosen, contentSha256, sourceFiles };
}
