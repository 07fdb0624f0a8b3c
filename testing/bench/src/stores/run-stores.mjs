// The stores group: the same workloads on Cairn's memory store, its file store, DynamoDB Local
// (through @cairn/dynamodb), Restate and DBOS (on PostgreSQL), in one run, beside this machine's
// fdatasync latency.
//
//   node run.mjs stores [--smoke] [--stores memory,file,dynamodb,restate,dbos] [--workloads conc-20x200,...] [--no-memory] [--commit-latency] [--dir <tmp>] [--timeout <s>]
//
// --commit-latency also times every commit of Cairn's memory and file stores (each store update,
// from the call until it is acknowledged) and prints percentiles; it adds a promise to every
// commit, so the throughput figures of such a run are a little lower than without it.
//
// --workloads keeps only the named workloads (ids as in workloads.mjs: seq-200, conc-20x200,
// conc-100x50, map-1000, short-500), to measure a few of them again and again.
//
// At the end it measures peak RSS of a map over 1 000 to 100 000 items on the file store
// (map-memory.mjs; `node run.mjs memory` runs only that), unless --no-memory.
//
// Each store runs in a child process of its own (store-child.mjs), in a process group of its own,
// one store after another. The servers a child starts (DynamoDB Local, restate-server, the Restate
// service endpoint, PostgreSQL for DBOS) are stopped by the child; after it exits this process
// checks they are gone, and stops the whole group if anything is left (or the child overstayed its timeout).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readArgs } from "../cli-args.mjs";
import { now, sleep } from "../clock.mjs";
import { measureFdatasync } from "./fdatasync.mjs";
import { FULL_SIZES, SMOKE_SIZES, measureMapMemory, printMemorySection } from "./map-memory.mjs";
import { MAP_MEMORY_VARIANTS } from "./map-memory-variants.mjs";
import { STORE_ORDER, commitLatencyTable, dynamoDbRequestsTable, fmt, inProcessTable, storesTable, targetsTable } from "./report.mjs";
import { PROCESSES_PREFIX, RESULT_PREFIX } from "./store-protocol.mjs";
import { SHORT_WAIT_SECONDS, storeWorkloads } from "./workloads.mjs";

/** The last line: everything above as JSON, for the smoke test and for anyone keeping figures. */
export const SUMMARY_PREFIX = "STORES_SUMMARY ";
const childPath = fileURLToPath(new URL("./store-child.mjs", import.meta.url));
const benchDir = fileURLToPath(new URL("../..", import.meta.url));

const usage = "usage: node run.mjs stores [--smoke] [--stores memory,file,dynamodb,restate,dbos] [--workloads <id,...>] [--no-memory] [--commit-latency] [--dir <directory>] [--timeout <seconds per store>]";

function parseArgs(argv) {
  const options = { smoke: false, stores: STORE_ORDER, workloads: undefined, memory: true, commitLatency: false, directory: tmpdir(), timeoutMs: undefined };
  readArgs(argv, usage, (arg, value) => {
    if (arg === "--smoke") options.smoke = true;
    else if (arg === "--stores") options.stores = value().split(",");
    else if (arg === "--workloads") options.workloads = value().split(",");
    else if (arg === "--no-memory") options.memory = false;
    else if (arg === "--commit-latency") options.commitLatency = true;
    else if (arg === "--dir") options.directory = value();
    else if (arg === "--timeout") options.timeoutMs = Number(value()) * 1000;
    else return false;
  });
  for (const store of options.stores) if (!STORE_ORDER.includes(store)) throw new Error(`unknown store ${store}; one of ${STORE_ORDER.join(", ")}`);
  const ids = storeWorkloads(options.smoke).map((w) => w.id);
  for (const id of options.workloads ?? []) if (!ids.includes(id)) throw new Error(`unknown workload ${id}; one of ${ids.join(", ")}`);
  options.timeoutMs ??= options.smoke ? 120_000 : 900_000;
  if (!(options.timeoutMs > 0)) throw new Error("--timeout must be a positive number of seconds");
  return options;
}

function packageVersion(name) {
  try {
    const require = createRequire(join(benchDir, "package.json"));
    try {
      return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
    } catch {
      // package.json not exported: find it from the resolved entry instead
    }
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
        if (pkg.name === name) return pkg.version;
      } catch {
        // keep walking up
      }
    }
  } catch {
    // not installed
  }
  return "not installed";
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Signals the child's whole process group; false when the group is already empty. */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Prints a table under its heading, and what it means below it; nothing when there is no table. */
function printSection(heading, text, note) {
  if (!text) return;
  console.log(`\n## ${heading}\n`);
  console.log(text);
  if (note) console.log(`\n${note}`);
}

/** Runs one store's child; resolves with its result line, plus which of its processes were left running. */
function runStore(store, options, active) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [childPath, store, JSON.stringify({ smoke: options.smoke, directory: options.directory, workloads: options.workloads, commitLatency: options.commitLatency })], {
      cwd: benchDir,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // a process group of its own: its servers can be stopped with it
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    active.add(child.pid);
    let stdout = "";
    let stderr = "";
    let processes = [];
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const line = stdout.split("\n").find((l) => l.startsWith(PROCESSES_PREFIX));
      if (line) processes = JSON.parse(line.slice(PROCESSES_PREFIX.length));
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    let timedOut = false;
    const timer = setTimeout(async () => {
      timedOut = true;
      signalGroup(child.pid, "SIGTERM"); // the child tears its servers down on SIGTERM
      await sleep(20_000);
      signalGroup(child.pid, "SIGKILL");
    }, options.timeoutMs);
    child.on("close", async (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      const result = line ? JSON.parse(line.slice(RESULT_PREFIX.length)) : { store, error: `no result (exit code ${code}${signal ? `, signal ${signal}` : ""}): ${stderr.trim().split("\n").slice(-5).join(" | ")}` };
      if (timedOut) result.error = `timeout after ${options.timeoutMs / 1000} s${result.error ? `; ${result.error}` : ""}`;
      // Give a server that is shutting down a moment, then name and stop whatever is left.
      const deadline = Date.now() + 5_000;
      while (processes.some((p) => isAlive(p.pid)) && Date.now() < deadline) await sleep(100);
      const leftRunning = processes.filter((p) => isAlive(p.pid));
      if (signalGroup(child.pid, "SIGKILL")) await sleep(200);
      active.delete(child.pid);
      result.processes = processes.map((p) => ({ ...p, stopped: !isAlive(p.pid) }));
      if (leftRunning.length > 0) result.leftRunning = leftRunning;
      resolve(result);
    });
  });
}

export async function runStores(argv) {
  const options = parseArgs(argv);
  const workloads = storeWorkloads(options.smoke).filter((w) => !options.workloads || options.workloads.includes(w.id));
  const began = now();
  const [load1, load5] = loadavg();
  console.log(
    `# cairn bench stores${options.smoke ? " --smoke" : ""} — node ${process.version}, ${process.platform}/${process.arch}, ` +
      `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? "?"}), load average ${load1.toFixed(1)}/${load5.toFixed(1)} (1/5 min)`,
  );
  console.log(
    `# @restatedev/restate-server@${packageVersion("@restatedev/restate-server")}, @restatedev/restate-sdk@${packageVersion("@restatedev/restate-sdk")}, ` +
      `@aws-sdk/client-dynamodb@${packageVersion("@aws-sdk/client-dynamodb")}, @dbos-inc/dbos-sdk@${packageVersion("@dbos-inc/dbos-sdk")}; temporary files in ${options.directory}`,
  );

  const active = new Set();
  const onSignal = (signal) => {
    for (const pid of active) signalGroup(pid, "SIGTERM");
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  // Measured before the stores and again right after the file store: a disk that other work
  // keeps busy shows up as two figures far apart (a quiet disk gives medians within ~1.5× of
  // each other), and the lower one is the reference (other load only ever adds to it).
  const fdatasyncRuns = [];
  const measureDisk = async (when) => {
    const m = await measureFdatasync(options.directory, options.smoke ? 20 : 200);
    fdatasyncRuns.push({ when, ...m });
    console.log(
      `# fdatasync in ${options.directory} (${when}): median ${fmt(m.syncMs)} ms (p90 ${fmt(m.syncP90Ms)}) for write + fdatasync of a ` +
        `128-byte append, ${m.count} times; ${fmt(m.asyncMs)} ms (p90 ${fmt(m.asyncP90Ms)}) through Node's thread pool (FileHandle.write + datasync)`,
    );
  };
  await measureDisk("before the stores");

  const byStore = new Map();
  for (const store of options.stores) {
    console.log(`# ${store}: running ${workloads.map((w) => w.id).join(", ")}`);
    const result = await runStore(store, options, active);
    byStore.set(store, result);
    console.log(JSON.stringify(result));
    // A store that could not start (DBOS without PostgreSQL, say) is said plainly; the others still run.
    if (result.error) console.log(`# ${store}: NOT RUN: ${result.error}`);
    if (store === "file") await measureDisk("after the file store");
  }
  const fdatasync = fdatasyncRuns.reduce((best, m) => (m.syncMs < best.syncMs ? m : best));
  const [lowest, highest] = [Math.min(...fdatasyncRuns.map((m) => m.syncMs)), Math.max(...fdatasyncRuns.map((m) => m.syncMs))];
  // Through the thread pool it is the same system calls plus a hop, never much faster: when it
  // is, the bare calls were held up by something else.
  const diskBusy = highest > 2 * lowest || fdatasyncRuns.some((m) => m.asyncMs * 1.5 < m.syncMs);

  console.log(`\n## Stores (${options.smoke ? "smoke run: tiny sizes, one run each — not figures to compare" : "median of timed runs after a warm-up"})\n`);
  for (const store of options.stores) {
    const r = byStore.get(store);
    if (r?.describe) console.log(`# ${store}: ${r.describe}; setup ${r.setupMs < 1000 ? `${r.setupMs} ms` : `${fmt(r.setupMs / 1000)} s`}`);
  }
  console.log("");
  console.log(storesTable(workloads, byStore, fdatasync.syncMs));
  console.log(
    `\nvs memory / vs Restate / vs DBOS: time per step (per item for the map, per execution for short executions) divided by that store's; 2 = twice as slow, 0.5 = twice as fast.` +
      `\n÷ fdatasync: the file store's time per step (per item) as a multiple of one fdatasync (${fmt(fdatasync.syncMs)} ms, measured ${fdatasync.when}).` +
      (diskBusy
        ? `\nWARNING: the fdatasync figures disagree (${fdatasyncRuns.map((m) => `${fmt(m.syncMs)} ms bare, ${fmt(m.asyncMs)} ms through the thread pool, ${m.when}`).join("; ")}): ` +
          "something else was using the disk or the CPUs; the file-store figures are unreliable."
        : "") +
      `\nThe Restate map is ${workloads.find((w) => w.handler === "map")?.size ?? "n"} ctx.run started together and awaited with RestatePromise.all (Restate has no map); ` +
      `the DBOS map is as many DBOS.runStep started together in one workflow and awaited with Promise.all (DBOS has no map either).` +
      `\nShort executions: each is a step, a ${SHORT_WAIT_SECONDS} s durable wait (Cairn ctx.wait, Restate ctx.sleep, DBOS DBOS.sleep) in real time on every store, then two steps; ` +
      `executions/s = executions ÷ the time until the last has ended, so the wait caps it at executions ÷ ${SHORT_WAIT_SECONDS} s. ` +
      "DynamoDB requests for them are per step (3 per execution) and include the start, the wait and the wake-up.",
  );
  printSection("DynamoDB requests per step (per item for the map), by command, one run (client start + worker runOnce)", dynamoDbRequestsTable(workloads, byStore));
  printSection(
    "Cairn's in-process stores: main thread and CPU (medians of the timed runs)",
    inProcessTable(workloads, byStore),
    "main thread busy: the time this process's event loop was not idle during a run (performance.eventLoopUtilization); " +
      "CPU: user + system time of all its threads (process.cpuUsage), the thread pool's file-system calls included, so it can exceed the wall time on two cores. " +
      "A file store whose main thread is busy for most of a run is limited by what it adds to each commit on that thread, not by the disk.",
  );
  printSection(
    "Commit latency of Cairn's in-process stores (every store update of the timed runs, ms)",
    commitLatencyTable(workloads, byStore),
    "From the call to the store's update until it resolved (the write acknowledged: on the file store, durable), " +
      "for every checkpoint, invocation start and end of every timed run. Timing them adds a promise to each, so the figures above are a little lower in such a run.",
  );
  console.log("\n## Targets (printed, not asserted)\n");
  console.log(targetsTable(workloads, byStore, fdatasync.syncMs));

  // Bounded memory: one map on the file store per child process (map-memory.mjs), after the
  // stores so its 100 000-item maps do not share the machine with them.
  let mapMemory = [];
  if (options.memory) {
    mapMemory = await measureMapMemory({
      sizes: options.smoke ? SMOKE_SIZES : FULL_SIZES,
      variants: Object.keys(MAP_MEMORY_VARIANTS),
      directory: options.directory,
      timeoutMs: options.smoke ? 60_000 : 600_000,
    });
    printMemorySection(mapMemory, Object.keys(MAP_MEMORY_VARIANTS));
  }

  const failures = [...byStore.values()].flatMap((r) => [
    ...(r.error ? [`${r.store}: ${r.error}`] : []),
    ...(r.results ?? []).filter((w) => w.error).map((w) => `${r.store} ${w.workload}: ${w.error}`),
    ...(r.leftRunning ?? []).map((p) => `${r.store}: ${p.what} (pid ${p.pid}) was still running after the store's run; stopped`),
    ...(r.teardownError ? [`${r.store}: teardown: ${r.teardownError}`] : []),
  ]);
  failures.push(...mapMemory.filter((r) => r.error).map((r) => `memory ${r.variant} ${r.items}: ${r.error}`));
  if (failures.length > 0) {
    console.log("\n## Did not run to the end\n");
    for (const failure of failures) console.log(failure);
  }
  const totalSeconds = (now() - began) / 1000;
  const [endLoad1, endLoad5] = loadavg();
  console.log(`\n# total ${totalSeconds.toFixed(1)} s; load average at the end ${endLoad1.toFixed(1)}/${endLoad5.toFixed(1)} (1/5 min)`);
  const summary = { smoke: options.smoke, fdatasync, fdatasyncRuns, diskBusy, workloads, stores: Object.fromEntries(byStore), mapMemory, failures, totalSeconds };
  console.log(`${SUMMARY_PREFIX}${JSON.stringify(summary)}`);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  return failures.length > 0 ? 1 : 0;
}
