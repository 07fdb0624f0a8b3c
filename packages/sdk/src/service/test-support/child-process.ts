// Builds file-store-child.ts into a self-contained .mjs (esbuild, which vitest already depends
// on) so tests can run it in real, separately killable node processes without a prior build.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export async function buildChildScript(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), "cairn-child-"));
  const outfile = join(outdir, "file-store-child.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./file-store-child.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "silent",
  });
  return outfile;
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves when a line matching `predicate` has been printed (or rejects when the child exits first). */
  waitFor(predicate: (line: string, all: string[]) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const waiters: { predicate: (line: string, all: string[]) => boolean; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line, lines)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    process: child,
    lines,
    exited,
    waitFor: (predicate) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal, stderr: err }) =>
          reject(new Error(`child exited (${code ?? signal}) before the expected line; stderr: ${err}`)),
        );
      }),
  };
}
