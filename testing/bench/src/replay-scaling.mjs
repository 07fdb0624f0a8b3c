// How replay cost per operation changes with the number of checkpointed operations: for each
// shape and N, a child process builds the execution once, then times invocations that replay all
// of it (median after a warm-up). Cairn only, on the memory store.
//
//   node run.mjs replay [--shapes steps,map,nested,map-open] [--sizes 1000,10000,100000] [--smoke]
//
// The default bench run prints the same table after its own (default shapes and sizes).

import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readArgs } from "./cli-args.mjs";
import { REPLAY_RESULT_PREFIX, REPLAY_SHAPES } from "./replay-shapes.mjs";
import { runResultChild } from "./result-child.mjs";
import { table } from "./stores/format.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const workerPath = join(here, "replay-worker.mjs");
const SMOKE_SIZES = [200, 400];
const TIMEOUT_MS = 600_000;
/** The target, printed and never asserted: at most this many µs per operation at every N. */
const TARGET_US_PER_OP = 2;

function parseArgs(argv) {
  const usage = `usage: node run.mjs replay [--shapes ${Object.keys(REPLAY_SHAPES).join(",")}] [--sizes 1000,10000,100000] [--smoke]`;
  const options = { shapes: Object.keys(REPLAY_SHAPES), sizes: undefined };
  readArgs(argv, usage, (arg, value) => {
    if (arg === "--shapes") options.shapes = value().split(",");
    else if (arg === "--sizes") options.sizes = value().split(",").map(Number);
    else if (arg === "--smoke") options.sizes = SMOKE_SIZES;
    else return false;
  });
  for (const shape of options.shapes) {
    if (!REPLAY_SHAPES[shape]) throw new Error(`unknown shape ${shape}; one of ${Object.keys(REPLAY_SHAPES).join(", ")}`);
  }
  for (const n of options.sizes ?? []) if (!(Number.isInteger(n) && n > 0)) throw new Error(`--sizes takes positive whole numbers, got ${n}`);
  return options;
}

/** Runs one (shape, N) in a fresh `node`; resolves with its result line. */
async function runWorker(shape, n) {
  const run = await runResultChild({ script: workerPath, args: [shape, String(n)], cwd: here, prefix: REPLAY_RESULT_PREFIX, timeoutMs: TIMEOUT_MS });
  return run.result ?? { shape, n, error: run.error };
}

const fixed = (value, digits) => (value === undefined ? "-" : value.toFixed(digits));

/** The results as text: one row per (shape, N), then each shape's growth and the target. */
export function replayScalingReport(results) {
  const rows = [["shape", "N", "operations", "replay ms", "µs/op", "min µs/op", "GC share", "first run ms", "peak RSS MB"]];
  for (const r of results) {
    if (r.error) {
      rows.push([r.shape, r.n, "-", "error", "-", "-", "-", "-", "-"]);
      continue;
    }
    rows.push([r.shape, r.n, r.operations, fixed(r.replayMs, 1), fixed(r.usPerOp, 2), fixed(r.minUsPerOp, 2), `${Math.round(r.gcShare * 100)}%`, r.firstRunMs, r.peakRssMB]);
  }
  const lines = [table(rows), ""];
  const byShape = new Map();
  for (const r of results) if (!r.error) byShape.set(r.shape, [...(byShape.get(r.shape) ?? []), r]);
  const summary = [["shape", "µs/op by N", `growth (largest N / smallest)`, `≤ ${TARGET_US_PER_OP} µs/op at every N`]];
  for (const [shape, list] of byShape) {
    const sorted = [...list].sort((a, b) => a.n - b.n);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    const growth = sorted.length > 1 ? `${(last.usPerOp / first.usPerOp).toFixed(2)}×` : "-";
    const met = sorted.every((r) => r.usPerOp <= TARGET_US_PER_OP);
    summary.push([shape, sorted.map((r) => `${r.n}: ${r.usPerOp.toFixed(2)}`).join(", "), growth, met ? "met" : "MISSED"]);
  }
  if (summary.length > 1) lines.push(table(summary));
  const failed = results.filter((r) => r.error);
  for (const r of failed) lines.push(`Could not run ${r.shape} at N=${r.n}: ${r.error}`);
  return lines.join("\n");
}

/** Legend lines: what each shape is. */
export function replayShapesLegend(shapes) {
  return shapes.map((shape) => `#   ${shape.padEnd(8)} ${REPLAY_SHAPES[shape].what}`).join("\n");
}

/**
 * Runs every (shape, N) one after the other, printing each result line as it comes, and
 * returns the results.
 */
export async function measureReplayScaling({ shapes = Object.keys(REPLAY_SHAPES), sizes } = {}) {
  const results = [];
  for (const shape of shapes) {
    for (const n of sizes ?? REPLAY_SHAPES[shape].sizes) {
      const result = await runWorker(shape, n);
      console.log(JSON.stringify(result));
      results.push(result);
    }
  }
  return results;
}

/** `node run.mjs replay ...`: this section alone. Returns the exit code. */
export async function runReplayScaling(argv) {
  const options = parseArgs(argv);
  console.log(`# cairn replay scaling — node ${process.version}, ${process.platform}/${process.arch}`);
  const results = await measureReplayScaling(options);
  printSection(results);
  return results.some((r) => r.error) ? 1 : 0;
}

/** Prints the section's heading, legend and tables. */
export function printSection(results) {
  const shapes = [...new Set(results.map((r) => r.shape))];
  console.log(
    "\n## Replay scaling (Cairn, memory store: one invocation loads every checkpointed operation, replays them all and suspends; median after warm-up)\n",
  );
  console.log(replayShapesLegend(shapes));
  console.log("");
  console.log(replayScalingReport(results));
  // Other processes on the machine inflate the medians and the collector's share: say how busy it was.
  console.log(`\nLoad average when the section ended (1, 5, 15 min): ${loadavg().map((load) => load.toFixed(2)).join(", ")} on ${availableParallelism()} cores`);
}
