// The stores group's tables: every workload on every store with ratios, the DynamoDB request
// counts, and the targets (printed, never asserted).
import { fmt, table } from "./format.mjs";
import { targetCell, targetsOf, verdict } from "./targets.mjs";
import { requestUnitsOf } from "./workloads.mjs";

export { fmt, table };

export const STORE_ORDER = ["memory", "file", "dynamodb", "restate", "dbos"];

const STORE_LABEL = {
  memory: "Cairn, memory store",
  file: "Cairn, file store",
  dynamodb: "Cairn, DynamoDB Local",
  restate: "Restate",
  dbos: "DBOS",
};

const UNIT = { msPerStep: "ms/step", stepsPerSecond: "steps/s", executionsPerSecond: "executions/s", ms: "ms" };

/** The result of `workload` on `store`, or undefined when the store has none (not run, or failed). */
function resultOf(byStore, store, workload) {
  const result = byStore.get(store)?.results?.find((r) => r.workload === workload);
  return result && !result.error ? result : undefined;
}

function ratio(a, b) {
  return a && b && b.msPerUnit > 0 ? fmt(a.msPerUnit / b.msPerUnit) : "-";
}

/**
 * One row per workload and store. `vs memory` / `vs Restate` / `vs DBOS` divide the time per step
 * (per item for the map, per execution for short executions) by that of the memory store / of
 * Restate / of DBOS: 2 means twice as slow, 0.5 twice as fast. `targets`: the targets on that figure, met or not.
 */
export function storesTable(workloads, byStore, fdatasyncMs) {
  const rows = [["workload", "store", "figure", "unit", "vs memory", "vs Restate", "vs DBOS", "÷ fdatasync", "DynamoDB requests", "targets"]];
  for (const workload of workloads) {
    for (const store of STORE_ORDER) {
      if (!byStore.has(store)) continue;
      const failed = byStore.get(store)?.error ?? byStore.get(store)?.results?.find((r) => r.workload === workload.id)?.error;
      const r = resultOf(byStore, store, workload.id);
      rows.push([
        workload.label,
        STORE_LABEL[store],
        r ? fmt(r.figure) : failed ? "error" : "-",
        UNIT[workload.figure],
        ratio(r, resultOf(byStore, "memory", workload.id)),
        ratio(r, resultOf(byStore, "restate", workload.id)),
        ratio(r, resultOf(byStore, "dbos", workload.id)),
        // Per execution (short executions) the time includes the wait: no multiple of fdatasync.
        store === "file" && r && fdatasyncMs > 0 && workload.unit !== "execution" ? `${fmt(r.msPerUnit / fdatasyncMs)}×` : "",
        r?.requests ? `${fmt(r.requests.perUnit)}/${workload.requestUnit}` : "",
        targetCell(targetsOf(workload, store, (s) => resultOf(byStore, s, workload.id), fdatasyncMs)),
      ]);
    }
  }
  return table(rows);
}

/**
 * DynamoDB requests of one run of each workload, by command, per step (per item for the map);
 * `idle polls`: the part of the total sent by worker passes that found nothing due (while short
 * executions wait), and `per execution`: the total per execution.
 */
export function dynamoDbRequestsTable(workloads, byStore) {
  const results = workloads.map((w) => ({ w, r: resultOf(byStore, "dynamodb", w.id) })).filter(({ r }) => r?.requests);
  if (results.length === 0) return undefined;
  const commands = [...new Set(results.flatMap(({ r }) => Object.keys(r.requests.byCommand)))].sort();
  const rows = [["workload", "per", "total", ...commands, "idle polls", "per execution"]];
  for (const { w, r } of results) {
    const units = requestUnitsOf(w);
    rows.push([
      w.label,
      w.requestUnit,
      fmt(r.requests.perUnit),
      ...commands.map((c) => (r.requests.byCommand[c] ? fmt(r.requests.byCommand[c] / units) : "0")),
      r.requests.idlePollRequests ? fmt(r.requests.idlePollRequests / units) : "0",
      fmt(r.requests.total / w.executions),
    ]);
  }
  return table(rows);
}

/** Every target, beside what was measured. */
export function targetsTable(workloads, byStore, fdatasyncMs) {
  const rows = [["store", "workload", "target", "measured", "verdict"]];
  for (const store of ["file", "dynamodb"]) {
    if (!byStore.has(store)) continue;
    for (const workload of workloads) {
      for (const t of targetsOf(workload, store, (s) => resultOf(byStore, s, workload.id), fdatasyncMs)) {
        rows.push([STORE_LABEL[store], workload.label, t.limit, t.measured, verdict(t.met)]);
      }
    }
  }
  return table(rows);
}

/**
 * Where the in-process stores' time goes, per workload: wall time, how long the main thread was
 * busy (event-loop utilization) and the CPU time of all the process's threads (the thread pool's
 * file-system calls included), medians of the timed runs, and the file store's over the memory
 * store's. When the file store's main thread is busy for as long as its runs take, the disk is not
 * what it waits for: what it adds to each commit on the main thread is.
 */
export function inProcessTable(workloads, byStore) {
  const rows = [["workload", "store", "wall ms", "main thread busy ms", "busy share", "CPU ms (all threads)", "busy ÷ memory's", "CPU ÷ memory's"]];
  for (const workload of workloads) {
    const memory = resultOf(byStore, "memory", workload.id);
    for (const store of ["memory", "file"]) {
      const r = resultOf(byStore, store, workload.id);
      if (r?.mainThreadMs === undefined) continue;
      const over = (key) => (store !== "memory" && memory?.[key] > 0 ? fmt(r[key] / memory[key]) : "");
      rows.push([workload.label, STORE_LABEL[store], fmt(r.ms), fmt(r.mainThreadMs), fmt(Math.min(1, r.mainThreadMs / r.ms)), fmt(r.cpuMs), over("mainThreadMs"), over("cpuMs")]);
    }
  }
  return rows.length > 1 ? table(rows) : undefined;
}

/** Percentiles of the in-process stores' commit latency (`--commit-latency`), per workload. */
export function commitLatencyTable(workloads, byStore) {
  const rows = [["workload", "store", "commits", "p50", "p99", "p99.9", "max"]];
  for (const workload of workloads) {
    for (const store of ["memory", "file"]) {
      const c = resultOf(byStore, store, workload.id)?.commitMs;
      if (c) rows.push([workload.label, STORE_LABEL[store], String(c.commits), fmt(c.p50), fmt(c.p99), fmt(c.p999), fmt(c.max)]);
    }
  }
  return rows.length > 1 ? table(rows) : undefined;
}
