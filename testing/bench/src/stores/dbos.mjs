// DBOS beside Cairn: @dbos-inc/dbos-sdk in this process (DBOS is a library that runs workflows in
// the application's own process, as Cairn's memory and file stores do), its system database on
// a PostgreSQL server started for the run (postgres-server.mjs). Each execution is one
// DBOS.startWorkflow; runMany starts them all, then awaits every handle's result.
//
// seq:   n sequential DBOS.runStep calls, each checkpointed before the next starts (Cairn: ctx.step)
// map:   DBOS has no map; the closest is n DBOS.runStep started together in one workflow and
//        awaited with Promise.all (Cairn: ctx.map over n items, each item a child context with one step)
// short: n sequential DBOS.runStep with a durable DBOS.sleep after the first (Cairn: ctx.step, ctx.wait)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { startPostgres } from "./postgres-server.mjs";
import { SHORT_WAIT_SECONDS } from "./workloads.mjs";

const DATABASE = "cairn_bench_dbos";

/** The installed SDK's version; its package.json is not exported, so it is found from the entry point. */
function sdkVersion() {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve("@dbos-inc/dbos-sdk"));
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
        if (pkg.name === "@dbos-inc/dbos-sdk") return pkg.version;
      } catch {
        // keep walking up
      }
    }
  } catch {
    // not installed: setup says so
  }
  return "?";
}

async function loadDbos() {
  try {
    return (await import("@dbos-inc/dbos-sdk")).DBOS;
  } catch (error) {
    throw new Error(`@dbos-inc/dbos-sdk (a devDependency of testing/bench) does not load: ${error?.message ?? error}`);
  }
}

/** Registers the three handlers as DBOS workflows (before DBOS.launch, as DBOS requires). */
function registerWorkflows(DBOS) {
  const step = (value) => DBOS.runStep(async () => value, { name: "value" });
  return {
    seq: DBOS.registerWorkflow(
      async (size) => {
        let sum = 0;
        for (let i = 0; i < size; i++) sum += await step(i);
        return sum;
      },
      { name: "seq" },
    ),
    map: DBOS.registerWorkflow(async (size) => (await Promise.all(Array.from({ length: size }, (_, i) => step(i * 2)))).length, { name: "map" }),
    short: DBOS.registerWorkflow(
      async (size) => {
        let sum = 0;
        for (let i = 0; i < size; i++) {
          sum += await step(i);
          if (i === 0) await DBOS.sleep(SHORT_WAIT_SECONDS * 1000);
        }
        return sum;
      },
      { name: "short" },
    ),
  };
}

/**
 * @param {{ directory: string }} options  where the PostgreSQL cluster's temporary directory goes
 * @returns {import("./store-driver.mjs").StoreDriver}
 */
export function dbosDriver(options) {
  let postgres;
  let DBOS;
  let launched = false;
  let workflows;
  const version = sdkVersion();
  return {
    name: "dbos",
    describe: () =>
      `DBOS ${version} in process (default pool of 10 connections), system database on PostgreSQL ${postgres?.version ?? "?"} ` +
      `(a new cluster in ${postgres?.dataDir ?? "?"}, default settings: fsync and synchronous_commit on)`,
    processes: () => (postgres ? [{ what: "postgres", pid: postgres.pid }] : []),
    async setup() {
      DBOS = await loadDbos();
      postgres = await startPostgres(options);
      // pg warns (DeprecationWarning) about queries DBOS queues on a busy client; not the bench's to fix.
      process.noDeprecation = true;
      workflows = registerWorkflows(DBOS);
      DBOS.setConfig({ name: "cairn-bench", applicationVersion: "bench", systemDatabaseUrl: postgres.url(DATABASE), logLevel: "error" });
      await DBOS.launch();
      launched = true;
    },
    async runMany(handler, size, count) {
      const handles = await Promise.all(Array.from({ length: count }, () => DBOS.startWorkflow(workflows[handler])(size)));
      return Promise.all(handles.map((handle) => handle.getResult()));
    },
    async teardown() {
      try {
        if (launched) await DBOS.shutdown();
      } finally {
        await postgres?.stop();
      }
    },
  };
}
