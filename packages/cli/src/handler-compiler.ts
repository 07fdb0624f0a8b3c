import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, formatMessages, type Message, type Plugin } from "esbuild";

/** Handler files compiled on the fly (TypeScript) rather than imported as they are. */
export const TYPESCRIPT_EXTENSIONS: readonly string[] = [".ts", ".mts", ".cts", ".tsx"];

/** The module a handler file was compiled into, and what it was compiled from. */
export interface CompiledHandler {
  /** Absolute path of the JavaScript module to import (.mjs or .cjs, with an inline source map). */
  file: string;
  /**
   * Absolute paths of the user's files bundled into it: the handler and the relative modules it
   * imports (packages stay external and are not listed).
   */
  inputs: string[];
}

/** The handler (or a module it imports) does not compile; the message is esbuild's, with file:line:col. */
export class HandlerCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HandlerCompileError";
  }
}

/**
 * Compiles a handler file with esbuild: the file and its relative imports are bundled into one
 * module; packages (`@cairn/sdk` above all) stay external, so they load from the user's project as
 * a single instance. No type-checking: that is tsc's job.
 *
 * The output goes to `node_modules/.cache/cairn/` in the nearest directory above the handler that
 * has a node_modules folder, so Node resolves the module's package imports exactly as it would
 * from the handler's own directory. Its name carries a hash of its content, so an edited handler
 * is a new module URL (a long-lived process such as `cairn dev` imports it afresh) and an
 * unchanged one is compiled to the same file.
 *
 * Turns on Node's source-map support first, so stack traces (and the frames stored with a failed
 * step) name the user's .ts files and lines.
 */
export async function compileHandler(path: string): Promise<CompiledHandler> {
  const format = moduleFormatOf(path);
  const outDir = cacheDirectoryFor(dirname(path));
  let result;
  try {
    result = await build({
      entryPoints: [path],
      absWorkingDir: dirname(path),
      bundle: true,
      packages: "external",
      platform: "node",
      target: "node20",
      format,
      // Only the directory matters here: source-map paths are written relative to it.
      outfile: join(outDir, `handler.${format === "esm" ? "mjs" : "cjs"}`),
      write: false,
      metafile: true,
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
      plugins: [ownLocation],
    });
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(messages) || messages.length === 0) throw error;
    const text = await formatMessages(messages, { kind: "error", color: false });
    throw new HandlerCompileError(`${path} does not compile:\n${text.join("").trimEnd()}`);
  }
  const output = result.outputFiles[0];
  if (output === undefined) throw new HandlerCompileError(`${path}: esbuild produced no output.`);
  const hash = createHash("sha256").update(output.contents).digest("hex").slice(0, 16);
  const name = basename(path, extname(path));
  const file = join(outDir, `${name}.${hash}.${format === "esm" ? "mjs" : "cjs"}`);
  if (!existsSync(file)) {
    mkdirSync(outDir, { recursive: true });
    // Written aside and renamed: another cairn process may be loading the same file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, output.contents);
    renameSync(partial, file);
  }
  process.setSourceMapsEnabled(true);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes(":"))
    .map((input) => resolve(dirname(path), input));
  return { file, inputs };
}

/**
 * ESM or CommonJS, as Node would load the compiled file: .mts is ESM, .cts CommonJS, anything else
 * follows the `type` of the nearest package.json (CommonJS without one).
 */
export function moduleFormatOf(path: string): "esm" | "cjs" {
  const extension = extname(path);
  if (extension === ".mts" || extension === ".mjs") return "esm";
  if (extension === ".cts" || extension === ".cjs") return "cjs";
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module" ? "esm" : "cjs";
      } catch {
        return "cjs";
      }
    }
    if (dirname(dir) === dir) return "cjs";
  }
}

/**
 * `node_modules/.cache/cairn` of the nearest directory above `from` that has node_modules (Node's
 * package lookup from there finds the same packages as from `from`); a temporary directory when
 * there is none, where only Node's built-in modules can be imported anyway.
 */
function cacheDirectoryFor(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "cairn");
    if (dirname(dir) === dir) return join(tmpdir(), "cairn-handlers");
  }
}

const LOCATION_NAMES = /\bimport\.meta\.(url|dirname|filename)\b|\b__dirname\b|\b__filename\b/;

/**
 * Bundled, every module would otherwise see the cache file's location: `import.meta.url` (and
 * `import.meta.dirname`/`filename`), and `__dirname`/`__filename` in CommonJS, are given their own
 * source file's values, so a handler that reads a file next to itself still finds it. The
 * declarations go on the first line, so line numbers (and the source map) stay as they are.
 */
const ownLocation: Plugin = {
  name: "cairn-own-location",
  setup(build) {
    const commonJs = build.initialOptions.format === "cjs";
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const source = readFileSync(args.path, "utf8");
      if (!LOCATION_NAMES.test(source)) return undefined;
      const values = {
        url: pathToFileURL(args.path).href,
        dirname: dirname(args.path),
        filename: args.path,
      };
      let body = source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: keyof typeof values) => `__cairnMeta_${key}`);
      const declarations = Object.entries(values).map(([key, value]) => `const __cairnMeta_${key} = ${JSON.stringify(value)};`);
      // A CommonJS module's own __dirname/__filename, unless it declares its own.
      if (commonJs && /\b__dirname\b/.test(body) && !/\b(?:const|let|var)\s+__dirname\b/.test(body)) {
        declarations.push(`const __dirname = ${JSON.stringify(values.dirname)};`);
      }
      if (commonJs && /\b__filename\b/.test(body) && !/\b(?:const|let|var)\s+__filename\b/.test(body)) {
        declarations.push(`const __filename = ${JSON.stringify(values.filename)};`);
      }
      // After a shebang line, which must stay first.
      const lineEnd = body.indexOf("\n");
      const shebang = !body.startsWith("#!") ? "" : lineEnd === -1 ? `${body}\n` : body.slice(0, lineEnd + 1);
      body = shebang + declarations.join(" ") + body.slice(Math.min(shebang.length, body.length));
      return { contents: body, loader: loaderFor(args.path) };
    });
  },
};

function loaderFor(path: string): "ts" | "tsx" | "js" | "jsx" {
  const extension = extname(path);
  if (extension === ".tsx") return "tsx";
  if (extension === ".jsx") return "jsx";
  return TYPESCRIPT_EXTENSIONS.includes(extension) ? "ts" : "js";
}
