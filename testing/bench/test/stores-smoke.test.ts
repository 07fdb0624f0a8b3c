// The stores group with tiny sizes (`node run.mjs stores --smoke`): every store produces a figure
// for every workload (short executions with a wait included), the targets are judged beside the
// figures, the memory section measures a map of each size in a process of its own, and every
// process the run started is stopped afterwards. Timing is not checked here: the figures are
// printed by the full run, never asserted.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const SUMMARY_PREFIX = "STORES_SUMMARY ";
const STORES = ["memory", "file", "dynamodb", "restate", "dbos"];
/** The smoke run takes about 30 s; past this it is stuck and is stopped with what it printed. */
const SMOKE_LIMIT_MS = 180_000;

interface WorkloadResult {
  workload: string;
  figure?: number;
  msPerUnit?: number;
  error?: string;
  requests?: { total: number; perUnit: number };
  ms?: number;
  mainThreadMs?: number;
  cpuMs?: number;
  commitMs?: { commits: number; p50: number; p99: number; p999: number; max: number };
}

interface StoreResult {
  error?: string;
  results?: WorkloadResult[];
  processes?: { what: string; pid: number; stopped: boolean }[];
  leftRunning?: unknown[];
  setupMs?: number;
  describe?: string;
}

interface MapMemoryResult {
  variant: string;
  items: number;
  error?: string;
  baselinePeak?: number;
  peakRss?: number;
  resultJsonBytes?: number;
  storeBytes?: number;
}

interface Summary {
  fdatasync: { syncMs: number; asyncMs: number };
  workloads: { id: string; handler: string; label: string }[];
  stores: Record<string, StoreResult>;
  mapMemory: MapMemoryResult[];
  failures: string[];
}

function runSmoke(...extra: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const args = ["run.mjs", "stores", "--smoke", ...extra];
    const child = spawn(process.execPath, args, { cwd: benchDir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // SIGTERM first: the run stops the servers of the store it is on before it exits.
    const limit = setTimeout(() => {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
      const last = `${stdout}\n${stderr}`.trim().split("\n").slice(-15).join("\n");
      reject(new Error(`node ${args.join(" ")} did not finish within ${SMOKE_LIMIT_MS / 1000} s and was stopped; its last lines:\n${last}`));
    }, SMOKE_LIMIT_MS);
    child.on("close", (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

it("runs every workload on the memory, file and DynamoDB stores, on Restate and on DBOS, measures map memory, and stops every process it started", async () => {
  const { code, stdout, stderr } = await runSmoke();
  const line = stdout.split("\n").find((l) => l.startsWith(SUMMARY_PREFIX));
  expect(line, `no summary line; the run printed:\n${stdout}\n${stderr}`).toBeDefined();
  const summary = JSON.parse(line!.slice(SUMMARY_PREFIX.length)) as Summary;
  expect(summary.failures, stdout).toEqual([]);
  expect(code, stdout).toBe(0);

  expect(summary.fdatasync.syncMs).toBeGreaterThan(0);
  expect(summary.fdatasync.asyncMs).toBeGreaterThan(0);
  expect(Object.keys(summary.stores)).toEqual(STORES);
  for (const store of STORES) {
    const result = summary.stores[store]!;
    expect(result.error, store).toBeUndefined();
    expect(result.results?.map((r) => r.workload), store).toEqual(summary.workloads.map((w) => w.id));
    for (const workload of result.results ?? []) {
      expect(workload.error, `${store} ${workload.workload}`).toBeUndefined();
      expect(Number.isFinite(workload.figure) && workload.figure! > 0, `${store} ${workload.workload} figure ${workload.figure}`).toBe(true);
      expect(Number.isFinite(workload.msPerUnit) && workload.msPerUnit! > 0, `${store} ${workload.workload}`).toBe(true);
      if (store === "dynamodb") expect(workload.requests?.perUnit, `${store} ${workload.workload} requests`).toBeGreaterThan(0);
    }
  }
  // Short executions (steps and a durable wait) are one of the workloads, on every store.
  const short = summary.workloads.find((w) => w.handler === "short");
  expect(short, "no short-execution workload").toBeDefined();

  // Targets are judged beside the figures: the file store's sequential row names its fdatasync
  // target, and every DynamoDB row of sequential steps its request target, each met or not met.
  const rowsOf = (label: string, store: string) => stdout.split("\n").filter((l) => l.startsWith(`${label} `) && l.includes(store));
  const seqLabel = summary.workloads[0]!.label;
  expect(rowsOf(seqLabel, "Cairn, file store")[0], stdout).toMatch(/≤ 2× fdatasync: (met|not met)/);
  expect(rowsOf(seqLabel, "Cairn, DynamoDB Local")[0], stdout).toMatch(/≤ 1\.1 req\/step: (met|not met)/);
  expect(rowsOf(short!.label, "Cairn, file store")[0], stdout).toMatch(/ahead of Restate: (met|not met)/);

  // Memory: every variant at every smoke size, in a process of its own, with a peak at or above
  // its baseline and a result that grows with the item count.
  expect(summary.mapMemory.map((r) => `${r.variant} ${r.items}`)).toEqual(["map 100", "map 1000", "chunked 100", "chunked 1000"]);
  for (const r of summary.mapMemory) {
    expect(r.error, `${r.variant} ${r.items}`).toBeUndefined();
    expect(r.baselinePeak, `${r.variant} ${r.items}`).toBeGreaterThan(0);
    expect(r.peakRss, `${r.variant} ${r.items}`).toBeGreaterThanOrEqual(r.baselinePeak!);
    expect(r.storeBytes, `${r.variant} ${r.items}: the execution left no files`).toBeGreaterThan(0);
  }
  for (const variant of ["map", "chunked"]) {
    const [small, large] = summary.mapMemory.filter((r) => r.variant === variant);
    expect(large!.resultJsonBytes, variant).toBeGreaterThan(5 * small!.resultJsonBytes!);
  }
  expect(stdout).toMatch(/^map: 100 → 1000 items: .*: (met|not met)$/m);

  // The in-process stores (memory, file) say how long their main thread was busy and how much CPU
  // all their threads used in each workload; the stores in other processes do not.
  for (const store of STORES) {
    for (const workload of summary.stores[store]!.results ?? []) {
      const where = `${store} ${workload.workload}`;
      if (store === "memory" || store === "file") {
        expect(workload.mainThreadMs, where).toBeGreaterThan(0);
        // The event loop cannot be busy for longer than the run took (a little slack for the two clocks).
        expect(workload.mainThreadMs!, where).toBeLessThanOrEqual(workload.ms! * 1.05 + 1);
        expect(workload.cpuMs, where).toBeGreaterThan(0);
        // Commit latency is timed only when asked for (--commit-latency, below).
        expect(workload.commitMs, where).toBeUndefined();
      } else {
        expect(workload.mainThreadMs, where).toBeUndefined();
      }
    }
  }
  expect(rowsOf(summary.workloads[1]!.label, "Cairn, file store").length, stdout).toBeGreaterThanOrEqual(2);
  expect(stdout).toMatch(/^## Cairn's in-process stores: main thread and CPU/m);

  // DBOS rows carry its ratio column: 1 against itself.
  expect(stdout).toMatch(/ vs Restate +vs DBOS /);
  expect(rowsOf(seqLabel, "DBOS")[0], stdout).toMatch(/ms\/step +\S+ +\S+ +1\.00( |$)/);

  // The servers: DynamoDB Local, restate-server and the Restate service endpoint, PostgreSQL for
  // DBOS (a missing PostgreSQL fails the run above: DBOS must not be skipped here).
  expect(summary.stores.dynamodb!.processes?.length).toBeGreaterThanOrEqual(process.env.CAIRN_DYNAMODB_ENDPOINT ? 0 : 1);
  expect(summary.stores.restate!.processes?.length).toBe(2);
  expect(summary.stores.restate!.setupMs).toBeLessThan(30_000);
  expect(summary.stores.dbos!.processes?.map((p) => p.what)).toEqual(["postgres"]);
  // The PostgreSQL cluster's temporary directory is removed with the server.
  const clusterDir = /a new cluster in (\S+?),/.exec(summary.stores.dbos!.describe ?? "")?.[1];
  expect(clusterDir, summary.stores.dbos!.describe).toBeDefined();
  expect(existsSync(clusterDir!), clusterDir).toBe(false);
  for (const store of STORES) {
    expect(summary.stores[store]!.leftRunning, store).toBeUndefined();
    for (const p of summary.stores[store]!.processes ?? []) {
      expect(p.stopped, `${store}: ${p.what}`).toBe(true);
      expect(isAlive(p.pid), `${store}: ${p.what} (pid ${p.pid}) still running`).toBe(false);
    }
  }
});

it("times every commit of the in-process stores when asked to, and prints their percentiles", async () => {
  const { code, stdout, stderr } = await runSmoke("--stores", "memory,file", "--no-memory", "--commit-latency");
  const line = stdout.split("\n").find((l) => l.startsWith(SUMMARY_PREFIX));
  expect(line, `no summary line; the run printed:\n${stdout}\n${stderr}`).toBeDefined();
  const summary = JSON.parse(line!.slice(SUMMARY_PREFIX.length)) as Summary;
  expect(summary.failures, stdout).toEqual([]);
  expect(code, stdout).toBe(0);
  for (const store of ["memory", "file"]) {
    for (const workload of summary.stores[store]!.results ?? []) {
      const where = `${store} ${workload.workload}`;
      const spec = summary.workloads.find((w) => w.id === workload.workload) as { executions: number; size: number; handler: string };
      const c = workload.commitMs;
      expect(c, where).toBeDefined();
      // Sequential steps: at least one commit per step of every execution, beside starts and ends.
      // A map's items are checkpointed together: its invocation's start, checkpoints and end.
      expect(c!.commits, where).toBeGreaterThanOrEqual(spec.handler === "map" ? 3 : spec.executions * spec.size);
      expect(c!.p50, where).toBeGreaterThan(0);
      expect(c!.p50, where).toBeLessThanOrEqual(c!.p99);
      expect(c!.p99, where).toBeLessThanOrEqual(c!.p999);
      expect(c!.p999, where).toBeLessThanOrEqual(c!.max);
      // A commit cannot take longer than the run it belongs to.
      expect(c!.max, where).toBeLessThanOrEqual(workload.ms! * 1.05 + 1);
    }
  }
  const section = stdout.split(/^## /m).find((part) => part.startsWith("Commit latency of Cairn's in-process stores"));
  expect(section, stdout).toBeDefined();
  const rows = section!.split("\n").filter((l) => l.startsWith(`${summary.workloads[1]!.label} `));
  expect(rows.map((l) => (l.includes("memory store") ? "memory" : l.includes("file store") ? "file" : "?")), stdout).toEqual(["memory", "file"]);
});
