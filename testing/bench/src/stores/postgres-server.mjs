// A throwaway PostgreSQL server for the DBOS peer: a new cluster made by initdb in a temporary
// directory (trust authentication, loopback only, its socket in that directory), started on a
// free port with the default durability settings (fsync, synchronous_commit on), stopped and
// removed afterwards. No system service is used. The server programs are taken from
// CAIRN_BENCH_PG_BIN when it is set (and only from there), else found on the PATH, else in
// Debian's /usr/lib/postgresql/<version>/bin (the newest version there).
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user Debian's package
// creates, which then owns the temporary directory.
import { spawnSync } from "node:child_process";
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { startProcess, waitUntilReady } from "./child-process.mjs";
import { freePort } from "./ports.mjs";

const START_TIMEOUT_MS = 30_000;
const DEBIAN_ROOT = "/usr/lib/postgresql";

/** What to do when PostgreSQL is missing; part of every error about it. */
export const INSTALL_POSTGRESQL =
  "Install PostgreSQL's server (Debian/Ubuntu: apt-get install postgresql; no service needs to run) " +
  "or set CAIRN_BENCH_PG_BIN to the directory holding its initdb and postgres programs.";

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The directory holding initdb and postgres, or undefined when there is none. */
export function findPostgresBin() {
  const chosen = process.env.CAIRN_BENCH_PG_BIN;
  const candidates = chosen ? [chosen] : (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  if (!chosen && existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(DEBIAN_ROOT, v, "bin")));
  }
  return candidates.find((dir) => isExecutable(join(dir, "initdb")) && isExecutable(join(dir, "postgres")));
}

/** uid and gid of `name` from /etc/passwd, or undefined. */
function systemUser(name) {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Makes and starts the cluster.
 * @param {{ directory: string }} options  where the temporary cluster directory goes
 * @returns {Promise<{ url: (database: string) => string, version: string, dataDir: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startPostgres(options) {
  const bin = findPostgresBin();
  if (!bin) {
    const where = process.env.CAIRN_BENCH_PG_BIN ? `in CAIRN_BENCH_PG_BIN (${process.env.CAIRN_BENCH_PG_BIN})` : `on the PATH or in ${DEBIAN_ROOT}/<version>/bin`;
    throw new Error(`DBOS needs a PostgreSQL server, but its initdb and postgres programs were not found ${where}. ${INSTALL_POSTGRESQL}`);
  }
  let user;
  if (process.getuid?.() === 0) {
    user = systemUser("postgres");
    if (!user) throw new Error("DBOS needs a PostgreSQL server, which does not run as root, and there is no `postgres` user to run it as. Run the bench as another user, or install Debian's postgresql package (which creates that user).");
  }
  const dataDir = mkdtempSync(join(options.directory, "cairn-bench-postgres-"));
  if (user) chownSync(dataDir, user.uid, user.gid);
  const cluster = join(dataDir, "data");
  // --no-sync: the cluster is thrown away after the run; the server itself keeps its defaults.
  const initdb = spawnSync(join(bin, "initdb"), ["-D", cluster, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], {
    encoding: "utf8",
    ...user,
  });
  if (initdb.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`initdb (${bin}) failed with code ${initdb.status}: ${(initdb.error?.message ?? initdb.stderr).trim().slice(-1000)}`);
  }
  const version = /\d+(\.\d+)*/.exec(spawnSync(join(bin, "postgres"), ["--version"], { encoding: "utf8" }).stdout ?? "")?.[0] ?? "?";
  const port = await freePort();
  const server = startProcess(
    "postgres",
    join(bin, "postgres"),
    ["-D", cluster, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${dataDir}`],
    { cwd: dataDir, ...user },
  );
  const stop = async () => {
    // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients still connected.
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGINT");
    await server.stop(10_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The port is open before the server takes connections; this line says it does.
    await waitUntilReady(server, async () => server.output().includes("ready to accept connections"), START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`, version, dataDir, pid: server.pid, stop };
}
