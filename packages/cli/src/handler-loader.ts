import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DurableInvocationHandler } from "@cairn/sdk/orchestrator";
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
 * `handler` export, else the default export.
 */
export async function loadHandler(file: string, exportName?: string, cwd = process.cwd()): Promise<LoadedHandler> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new UsageError(`Handler file not found: ${path}`);
  if (!statSync(path).isFile()) throw new UsageError(`Handler path is not a file: ${path}`);
  const extension = extname(path);
  if (!RUNNABLE.has(extension)) {
    const hint = [".ts", ".mts", ".cts", ".tsx"].includes(extension)
      ? " cairn runs compiled JavaScript: build the handler (e.g. with tsc) and pass the .js file."
      : "";
    throw new UsageError(`Handler file must be a JavaScript module (.js, .mjs or .cjs), got ${path}.${hint}`);
  }
  const contentSha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
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
  return { handler: handler as DurableInvocationHandler, path, exportName: chosen, contentSha256 };
}
