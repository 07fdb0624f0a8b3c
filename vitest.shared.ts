// Tests import workspace packages from source, so a test run never depends on a stale build.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

// Every entry point of every workspace package, read from its `exports` map: `@cairn/sdk/service`
// maps to packages/sdk/src/service/index.ts as `@cairn/sdk` maps to src/index.ts. Exact matches
// only, so `@cairn/sdk` does not swallow its subpaths. Aliasing every package (not just the one
// under test) matters: a built package's CommonJS build would require the built @cairn/sdk, a
// second copy beside the aliased source.
export const workspaceAliases = readdirSync(join(root, "packages")).flatMap((folder) => {
  const manifest = join(root, "packages", folder, "package.json");
  if (!existsSync(manifest)) return [];
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; exports?: Record<string, unknown> };
  return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) => {
    const entry = /^\.\/dist\/cjs\/(.+)\.js$/.exec((target as { require?: { default?: string } }).require?.default ?? "")?.[1];
    if (entry === undefined) return [];
    const specifier = pkg.name + subpath.slice(1);
    return [{ find: new RegExp(`^${specifier.replace(/[/.]/g, "\\$&")}$`), replacement: join(root, "packages", folder, "src", `${entry}.ts`) }];
  });
});

/**
 * The pool and timeouts every workspace's vitest config starts from: `test: { ...testDefaults, ... }`,
 * a config's own values after it. Chosen for small, shared machines (CI runs on 2 cores):
 *
 * - `pool: "forks"` (vitest 3's default, stated so a config does not drift to threads): the suites
 *   spawn CLI, Lambda and worker processes and send them signals, which a child process isolates
 *   better than a worker thread; a stuck fork can be killed from outside, a stuck thread cannot.
 *   Files stay isolated (a fresh fork per file). Worker count stays vitest's default, one fewer
 *   than the cores (one worker on 2 cores), unless a config sets its own (packages/dynamodb).
 * - vitest 3 has no timeout for starting a worker: a fork that never comes up leaves the run
 *   waiting forever (vitest 4 added one). Nothing in the config can bound that, so every `npm test`
 *   run goes through scripts/watchdog.mjs, which stops a run that makes no progress.
 * - `testTimeout`/`hookTimeout`: vitest's 5 s and 10 s fail healthy tests when the machine is busy;
 *   30 s and 60 s still end a stuck test or hook long before the watchdog's silence limit, so the
 *   failure names the test. A test or config with a longer need sets its own.
 * - `teardownTimeout`: how long vitest waits for a worker to terminate and for itself to close
 *   (10 s by default, tight under load); past it vitest exits anyway with a warning.
 */
export const testDefaults = {
  pool: "forks",
  testTimeout: 30_000,
  hookTimeout: 60_000,
  teardownTimeout: 30_000,
} satisfies NonNullable<import("vitest/config").ViteUserConfig["test"]>;
