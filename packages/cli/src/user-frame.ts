import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Where Cairn's own code lives, whichever way it was installed: the built code (dist/) of the CLI
 * and of the SDK it resolves (in a workspace that is the SDK's real directory, not a node_modules
 * path), and the sources (src/) source maps point it back to. Only those, so handlers kept inside
 * these packages (their test fixtures) count as the user's. A handler may bring its own copy of the SDK: its `node_modules/@cairn/` path gives it away.
 */
function cairnRoots(): string[] {
  // src/ too: with source maps on (a TypeScript handler turns them on), frames of the built code
  // name the sources it was built from.
  const roots = [fileURLToPath(new URL("./", import.meta.url)), fileURLToPath(new URL("../src/", import.meta.url))];
  try {
    let dir = dirname(createRequire(import.meta.url).resolve("@cairn/sdk"));
    while (dirname(dir) !== dir) {
      const manifest = join(dir, "package.json");
      if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "@cairn/sdk") {
        roots.push(join(dir, "dist") + sep, join(dir, "src") + sep);
        break;
      }
      dir = dirname(dir);
    }
  } catch {
    // No resolvable SDK here: the node_modules pattern still covers installed copies.
  }
  return roots;
}

let roots: string[] | undefined;

/** The file a stack frame (`at fn (file:line:col)` or `at file:line:col`) points into, if any. */
function frameFile(frame: string): string | undefined {
  const text = frame.trim().replace(/^at\s+/, "");
  const location = /\(([^()]*)\)\s*$/.exec(text)?.[1] ?? text.replace(/^async\s+/, "");
  const file = location.replace(/:\d+:\d+$/, "").replace(/:\d+$/, "");
  if (file === "" || file === "native" || file.startsWith("<")) return undefined;
  if (file.startsWith("file://")) {
    try {
      return fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return file;
}

/** Whether a frame is in the user's code: not in Cairn (SDK, CLI) and not in Node's internals. */
export function isUserFrame(frame: string, cairnDirectories: readonly string[] = (roots ??= cairnRoots())): boolean {
  if (!frame.trim().startsWith("at ")) return false;
  const file = frameFile(frame);
  if (file === undefined || file.startsWith("node:")) return false;
  if (file.replaceAll("\\", "/").includes("/node_modules/@cairn/")) return false;
  return !cairnDirectories.some((root) => file.startsWith(root));
}

/**
 * The first frame of the user's own code in a stored stack trace: the error's own frames first,
 * then those of the errors it wraps (`cause: {...}` entries, as a failed step stores them, where
 * the handler's error is the cause of the step's).
 */
export function firstUserFrame(stack: readonly string[] | undefined, cairnDirectories?: readonly string[]): string | undefined {
  const causes: string[] = [];
  for (const raw of stack ?? []) {
    const entry = raw.trim();
    if (entry.startsWith("cause:")) causes.push(entry.slice("cause:".length).trim());
    else if (isUserFrame(entry, cairnDirectories)) return entry;
  }
  for (const text of causes) {
    try {
      const cause = JSON.parse(text) as { StackTrace?: unknown };
      if (Array.isArray(cause.StackTrace)) {
        const found = firstUserFrame(cause.StackTrace.filter((f): f is string => typeof f === "string"), cairnDirectories);
        if (found !== undefined) return found;
      }
    } catch {
      // a cause that is not JSON has no frames to offer
    }
  }
  return undefined;
}
