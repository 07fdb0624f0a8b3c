// The stores group's tables: every workload on every store with ratios, the DynamoDB request
// counts, and the targets (printed, never asserted).

export const STORE_ORDER = ["memory", "file", "dynamodb", "restate"];

const STORE_LABEL = {
  memory: "Cairn, memory store",
  file: "Cairn, file store",
  dynamodb: "Cairn, DynamoDB Local",
  restate: "Restate",
};

const UNIT = { msPerStep: "ms/step", stepsPerSecond: "steps/s", ms: "ms" };

export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r, i) => {
      const line = r.map((v, c) => (c <= 1 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join("  ");
      return i === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n")
    .replace(/ +$/gm, "");
}

/** Three significant digits, no exponent. */
export function fmt(value) {
  if (value === undefined || value === null || !Number.isFinite(value)) return "-";
  if (value === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(digits, 4));
}

/** The result of `workload` on `store`, or undefined when the store has none (not run, or failed). */
function resultOf(byStore, store, workload) {
  const result = byStore.get(store)?.results?.find((r) => r.workload === workload);
  return result && !result.error ? result : undefined;
}

function ratio(a, b) {
  return a && b && b.msPerUnit > 0 ? fmt(a.msPerUnit / b.msPerUnit) : "-";
}

/**
 * One row per workload and store. `vs memory` / `vs Restate` divide the time per step (per item
 * for the map) by that of the memory store / of Restate: 2 means twice as slow, 0.5 twice as fast.
 */
export function storesTable(workloads, byStore, fdatasyncMs) {
  const rows = [["workload", "store", "figure", "unit", "vs memory", "vs Restate", "÷ fdatasync", "DynamoDB requests"]];
  for (const workload of workloads) {
    for (const store of STORE_ORDER) {
      if (!byStore.has(store)) continue;
      const failed = byStore.get(store)?.error ?? byStore.get(store)?.results?.find((r) => r.workload === workload.id)?.error;
      const r = resultOf(byStore, store, workload.id);
      const perUnit = workload.handler === "map" ? "item" : "step";
      rows.push([
        workload.label,
        STORE_LABEL[store],
        r ? fmt(r.figure) : failed ? "error" : "-",
        UNIT[workload.figure],
        ratio(r, resultOf(byStore, "memory", workload.id)),
        ratio(r, resultOf(byStore, "restate", workload.id)),
        store === "file" && r && fdatasyncMs > 0 ? `${fmt(r.msPerUnit / fdatasyncMs)}×` : "",
        r?.requests ? `${fmt(r.requests.perUnit)}/${perUnit}` : "",
      ]);
    }
  }
  return table(rows);
}

/** DynamoDB requests of one run of each workload, by command, per step (per item for the map). */
export function dynamoDbRequestsTable(workloads, byStore) {
  const results = workloads.map((w) => ({ w, r: resultOf(byStore, "dynamodb", w.id) })).filter(({ r }) => r?.requests);
  if (results.length === 0) return undefined;
  const commands = [...new Set(results.flatMap(({ r }) => Object.keys(r.requests.byCommand)))].sort();
  const rows = [["workload", "per", "total", ...commands]];
  for (const { w, r } of results) {
    const units = w.executions * w.size;
    rows.push([
      w.label,
      w.handler === "map" ? "item" : "step",
      fmt(r.requests.perUnit),
      ...commands.map((c) => (r.requests.byCommand[c] ? fmt(r.requests.byCommand[c] / units) : "0")),
    ]);
  }
  return table(rows);
}

/** The targets, beside what was measured. */
export function targetsTable(workloads, byStore, fdatasyncMs) {
  const [seq, wide, many, map] = workloads;
  const file = (w) => resultOf(byStore, "file", w.id);
  const memory = (w) => resultOf(byStore, "memory", w.id);
  const restate = (w) => resultOf(byStore, "restate", w.id);
  const dynamodb = (w) => resultOf(byStore, "dynamodb", w.id);
  const verdict = (ok) => (ok === undefined ? "n/a" : ok ? "met" : "MISSED");
  const rows = [["target", "limit", "measured", "verdict"]];

  const seqMultiple = file(seq) && fdatasyncMs > 0 ? file(seq).msPerUnit / fdatasyncMs : undefined;
  rows.push([`file store, ${seq.label}: time per step`, "≤ 2× fdatasync", seqMultiple === undefined ? "-" : `${fmt(seqMultiple)}×`, verdict(seqMultiple === undefined ? undefined : seqMultiple <= 2)]);
  for (const w of [wide, many]) {
    const share = file(w) && memory(w) ? file(w).figure / memory(w).figure : undefined;
    rows.push([`file store, ${w.label}: throughput`, "≥ ½ of memory store", share === undefined ? "-" : `${fmt(share)} of memory`, verdict(share === undefined ? undefined : share >= 0.5)]);
  }
  for (const w of workloads) {
    const vs = file(w) && restate(w) ? file(w).msPerUnit / restate(w).msPerUnit : undefined;
    rows.push([`file store ahead of Restate: ${w.label}`, "< 1× Restate's time", vs === undefined ? "-" : `${fmt(vs)}×`, verdict(vs === undefined ? undefined : vs < 1)]);
  }
  const perStep = dynamodb(seq)?.requests?.perUnit;
  rows.push([`DynamoDB requests per step, ${seq.label}`, "≤ 1.1", fmt(perStep), verdict(perStep === undefined ? undefined : perStep <= 1.1)]);
  const perItem = dynamodb(map)?.requests?.perUnit;
  rows.push([`DynamoDB requests per item, ${map.label}`, "≤ 0.05", fmt(perItem), verdict(perItem === undefined ? undefined : perItem <= 0.05)]);
  return table(rows);
}
