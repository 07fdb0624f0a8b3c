// The stores group with tiny sizes (`node run.mjs stores --smoke`): every store produces a figure
// for every workload and every process the run started is stopped afterwards. Timing is not
// checked here: the figures are printed by the full run, never asserted.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const SUMMARY_PREFIX = "STORES_SUMMARY ";
const STORES = ["memory", "file", "dynamodb", "restate"];

interface WorkloadResult {
  workload: string;
  figure?: number;
  msPerUnit?: number;
  error?: string;
  requests?: { total: number; perUnit: number };
}

interface StoreResult {
  error?: string;
  results?: WorkloadResult[];
  processes?: { what: string; pid: number; stopped: boolean }[];
  leftRunning?: unknown[];
  setupMs?: number;
}

interface Summary {
  fdatasync: { syncMs: number; asyncMs: number };
  workloads: { id: string }[];
  stores: Record<string, StoreResult>;
  failures: string[];
}

function runSmoke(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["run.mjs", "stores", "--smoke"], { cwd: benchDir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
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

it("runs every workload on the memory, file and DynamoDB stores and on Restate, and stops every process it started", async () => {
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
  // The servers: DynamoDB Local, restate-server and the Restate service endpoint.
  expect(summary.stores.dynamodb!.processes?.length).toBeGreaterThanOrEqual(process.env.CAIRN_DYNAMODB_ENDPOINT ? 0 : 1);
  expect(summary.stores.restate!.processes?.length).toBe(2);
  expect(summary.stores.restate!.setupMs).toBeLessThan(30_000);
  for (const store of STORES) {
    expect(summary.stores[store]!.leftRunning, store).toBeUndefined();
    for (const p of summary.stores[store]!.processes ?? []) {
      expect(p.stopped, `${store}: ${p.what}`).toBe(true);
      expect(isAlive(p.pid), `${store}: ${p.what} (pid ${p.pid}) still running`).toBe(false);
    }
  }
});
