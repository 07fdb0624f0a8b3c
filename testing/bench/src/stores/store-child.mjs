// Child process: every workload of the stores group on ONE store, then one result line.
//   node src/stores/store-child.mjs <memory|file|dynamodb|restate|dbos> '<options as JSON>'
// A fresh process per store keeps one store's JIT state, garbage and open handles away from the
// next. Prints `STORE_PROCESSES [...]` once its servers are started (the parent checks they are
// gone afterwards) and `STORE_RESULT {...}` at the end. On SIGTERM it stops its servers and
// reports what it has.
import { performance } from "node:perf_hooks";
import { now } from "../clock.mjs";
import { cairnDynamoDbDriver } from "./cairn-dynamodb.mjs";
import { cairnLocalDriver } from "./cairn-local.mjs";
import { dbosDriver } from "./dbos.mjs";
import { restateDriver } from "./restate.mjs";
import { median, percentile, round } from "./stats.mjs";
import { PROCESSES_PREFIX, RESULT_PREFIX } from "./store-protocol.mjs";
import { expectedResult, requestUnitsOf, storeWorkloads, unitsOf } from "./workloads.mjs";

/**
 * Stop adding timed runs of a workload once this much time went into it: a fast store gets many
 * runs (a steadier median on a noisy machine), a slow one at least one.
 */
const WORKLOAD_BUDGET_MS = 12_000;

function driverFor(store, options, workloads) {
  if (store === "memory" || store === "file") return cairnLocalDriver(store, options);
  if (store === "dynamodb") return cairnDynamoDbDriver({ maxExecutions: Math.max(...workloads.map((w) => w.executions)) });
  if (store === "restate") return restateDriver(options);
  if (store === "dbos") return dbosDriver(options);
  throw new Error(`unknown store "${store}" (expected memory, file, dynamodb, restate or dbos)`);
}

function check(workload, results) {
  const expected = expectedResult(workload.handler, workload.size);
  if (results.length !== workload.executions) throw new Error(`expected ${workload.executions} results, got ${results.length}`);
  for (const result of results) {
    if (result !== expected) throw new Error(`${workload.handler} of ${workload.size} returned ${JSON.stringify(result)}, expected ${expected}`);
  }
}

function difference(after, before) {
  const byCommand = {};
  for (const [name, n] of Object.entries(after.byCommand)) {
    const delta = n - (before.byCommand[name] ?? 0);
    if (delta > 0) byCommand[name] = delta;
  }
  return {
    total: after.total - before.total,
    byCommand,
    idlePolls: (after.idlePolls ?? 0) - (before.idlePolls ?? 0),
    idlePollRequests: (after.idlePollRequests ?? 0) - (before.idlePollRequests ?? 0),
  };
}

const FIGURE = {
  msPerStep: (ms, w) => ms / unitsOf(w),
  stepsPerSecond: (ms, w) => (unitsOf(w) / ms) * 1000,
  executionsPerSecond: (ms, w) => (w.executions / ms) * 1000,
  ms: (ms) => ms,
};

async function measure(driver, workload) {
  const units = unitsOf(workload);
  const samples = [];
  // In-process stores only: how long this process's main thread was busy during each run, and
  // the CPU time of all its threads (the thread pool's file-system calls included).
  const busy = [];
  const cpu = [];
  let requests;
  driver.takeCommitLatencies?.(); // the warm-up's and earlier workloads' commits
  const began = now();
  while (samples.length < workload.runs && (samples.length === 0 || now() - began < WORKLOAD_BUDGET_MS)) {
    const before = driver.requests?.();
    const loopBefore = performance.eventLoopUtilization();
    const cpuBefore = process.cpuUsage();
    const start = now();
    const results = await driver.runMany(workload.handler, workload.size, workload.executions);
    samples.push(now() - start);
    if (driver.inProcess) {
      busy.push(performance.eventLoopUtilization(loopBefore).active);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
    }
    check(workload, results);
    if (before && !requests) requests = difference(driver.requests(), before);
  }
  const ms = median(samples);
  const figure = FIGURE[workload.figure](ms, workload);
  const commits = driver.takeCommitLatencies?.() ?? [];
  return {
    workload: workload.id,
    figure: round(figure, 4),
    // Time per step (per item for the map, per execution for short ones): what the ratios compare.
    msPerUnit: round(ms / units, 5),
    ms: round(ms, 2),
    runs: samples.length,
    samplesMs: samples.map((s) => round(s, 1)),
    ...(driver.inProcess ? { mainThreadMs: round(median(busy), 2), cpuMs: round(median(cpu), 2) } : {}),
    ...(commits.length > 0 ? { commitMs: latencyPercentiles(commits) } : {}),
    ...(requests
      ? { requests: { ...requests, perUnit: round(requests.total / requestUnitsOf(workload), 3), perExecution: round(requests.total / workload.executions, 2) } }
      : {}),
  };
}

/** Percentiles of every commit's latency over all the timed runs of a workload, in ms. */
function latencyPercentiles(values) {
  const at = (p) => round(percentile(values, p), 3);
  return { commits: values.length, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) };
}

/**
 * Untimed runs before the timed ones, so the figures are not those of cold code (V8 keeps
 * optimizing the step path for several hundred steps), cold connection pools or cold server
 * caches: sequential runs for about 3 s (at least one), then one concurrent run, one map and
 * one batch of short executions (their timers and wake-ups).
 */
async function warmUp(driver) {
  const began = now();
  do await driver.runMany("seq", 200, 1);
  while (now() - began < 3_000);
  await driver.runMany("seq", 50, 10);
  await driver.runMany("map", 200, 1);
  await driver.runMany("short", 3, 20);
}

async function main() {
  const [store, json] = process.argv.slice(2);
  const options = JSON.parse(json ?? "{}");
  const workloads = storeWorkloads(options.smoke === true).filter((w) => !options.workloads || options.workloads.includes(w.id));
  const driver = driverFor(store, { directory: options.directory, commitLatency: options.commitLatency === true }, workloads);
  const line = { store, results: [], processes: [] };
  const report = () => process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(line)}\n`);
  // One teardown, and every caller waits for it: on SIGTERM the workloads fail as soon as the
  // driver's connections close, and main must not report and exit while its servers are still
  // being stopped and their directories removed.
  let stopping;
  const stop = () => (stopping ??= driver.teardown().catch((error) => (line.teardownError = String(error?.message ?? error))));
  process.once("SIGTERM", () => {
    line.error = "stopped by SIGTERM (timeout)";
    void stop().then(() => {
      report();
      process.exit(1);
    });
  });
  try {
    const setupStart = now();
    try {
      await driver.setup();
    } finally {
      line.processes = driver.processes();
      process.stdout.write(`${PROCESSES_PREFIX}${JSON.stringify(line.processes)}\n`);
    }
    line.setupMs = round(now() - setupStart, 0);
    line.describe = driver.describe();
    if (!options.smoke) await warmUp(driver);
    for (const workload of workloads) {
      try {
        line.results.push(await measure(driver, workload));
      } catch (error) {
        line.results.push({ workload: workload.id, error: error instanceof Error ? error.message : String(error) });
      }
      process.stderr.write(`  ${store} ${workload.id}: ${JSON.stringify(line.results.at(-1))}\n`);
    }
  } catch (error) {
    line.error = error instanceof Error ? error.message : String(error);
  } finally {
    await stop();
  }
  report();
}

main().then(
  // A straggling handle (an HTTP keep-alive socket, a timer) must not keep the child alive.
  () => process.exit(0),
  (error) => {
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ store: process.argv[2], error: String(error?.stack ?? error) })}\n`);
    process.exit(1);
  },
);
