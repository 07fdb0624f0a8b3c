// Builds worker-child.ts into one .mjs so tests can run workers as real, killable processes.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Bundles `entry` (default: worker-child.ts) with the workspace packages taken from source. */
export async function buildWorkerChild(entry: URL = new URL("./worker-child.ts", import.meta.url)): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), "cairn-ddb-child-"));
  const outfile = join(outdir, "worker-child.mjs");
  await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "silent",
    alias: {
      "@cairn/sdk": fileURLToPath(new URL("../../../sdk/src/index.ts", import.meta.url)),
      "@cairn/dynamodb": fileURLToPath(new URL("../index.ts", import.meta.url)),
    },
    // The AWS SDK bundles fine but some of its optional requires need createRequire in ESM.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

export function spawnWorker(script: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"], ...(env ? { env: { ...process.env, ...env } } : {}) });
}
