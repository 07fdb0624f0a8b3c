// Builds worker-child.ts into one .mjs so tests can run workers as real, killable processes.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

/**
 * Resolves every entry point of every workspace package (`@cairn/sdk`, `@cairn/sdk/service`, …)
 * to its source file, read from the package's `exports` map as the vitest config does. Exact
 * specifiers only: esbuild's `alias` would map `@cairn/sdk/service` to `src/index.ts/service`.
 */
function workspaceSources(): Plugin {
  const packagesDir = fileURLToPath(new URL("../../../", import.meta.url));
  const sources = new Map<string, string>();
  for (const folder of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, folder, "package.json");
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; exports?: Record<string, { require?: { default?: string } }> };
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const entry = /^\.\/dist\/cjs\/(.+)\.js$/.exec(target?.require?.default ?? "")?.[1];
      if (entry !== undefined) sources.set(pkg.name + subpath.slice(1), join(packagesDir, folder, "src", `${entry}.ts`));
    }
  }
  return {
    name: "workspace-sources",
    setup(builder) {
      builder.onResolve({ filter: /^@cairn\// }, (args) => {
        const path = sources.get(args.path);
        return path === undefined ? undefined : { path };
      });
    },
  };
}

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
    plugins: [workspaceSources()],
    // The AWS SDK bundles fine but some of its optional requires need createRequire in ESM.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

export function spawnWorker(script: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"], ...(env ? { env: { ...process.env, ...env } } : {}) });
}
