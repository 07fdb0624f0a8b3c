// Bounded memory on the file store: peak RSS of one map over N items, each (variant, N) in a child
// process of its own (map-memory-child.mjs), beside the size of the map's result, so a reader sees
// whether memory grows with N beyond the result itself.
//
//   node run.mjs memory [--sizes 1000,10000,100000,300000] [--variants map,chunked] [--dir <tmp>] [--timeout <s per run>]
//                       [--node-flags "--max-semi-space-size=2 …"]
//
// Also run at the end of the stores group (run-stores.mjs).
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { readArgs } from "../cli-args.mjs";
import { runResultChild } from "../result-child.mjs";
import { MAP_MEMORY_PREFIX, MAP_MEMORY_VARIANTS } from "./map-memory-variants.mjs";
import { fmt, table } from "./report.mjs";

const childPath = fileURLToPath(new URL("./map-memory-child.mjs", import.meta.url));
const benchDir = fileURLToPath(new URL("../..", import.meta.url));
export const MEMORY_SUMMARY_PREFIX = "MAP_MEMORY_SUMMARY ";
/**
 * Up to 300 000 items: V8 lets its old generation fill with garbage up to a limit before it
 * collects it, and a run of 10 000 items ends before the heap reaches that size, so the step from
 * 10 000 to 100 000 mostly shows the heap growing to it; the step from 100 000 on shows whether
 * memory keeps growing with N.
 */
export const FULL_SIZES = [1_000, 10_000, 100_000, 300_000];
export const SMOKE_SIZES = [100, 1_000];
/**
 * A BatchResult held as JavaScript objects takes a few times its JSON size; growth of peak RSS
 * within this multiple of the growth of the result's JSON counts as "the result itself".
 */
export const RESULT_ALLOWANCE = 3;

const usage =
  "usage: node run.mjs memory [--smoke] [--sizes 1000,10000,100000,300000] [--variants map,chunked] [--dir <directory>] [--timeout <seconds per run>] " +
  '[--node-flags "<node options for the children>"]';

/**
 * `--node-flags`' value as a list of options for the children's `node` (to see what V8's heap
 * settings do to the peak, say): each must be an option, `--name` or `--name=value`.
 */
export function parseNodeFlags(text) {
  const flags = text.split(/\s+/).filter((flag) => flag !== "");
  for (const flag of flags) {
    if (!/^--[a-z0-9-_]+(=\S+)?$/i.test(flag)) throw new Error(`--node-flags: ${JSON.stringify(flag)} is not a node option (--name or --name=value)\n${usage}`);
  }
  return flags;
}

function parseArgs(argv) {
  const options = { smoke: false, sizes: undefined, variants: Object.keys(MAP_MEMORY_VARIANTS), directory: tmpdir(), timeoutMs: 300_000, nodeFlags: [] };
  readArgs(argv, usage, (arg, value) => {
    if (arg === "--smoke") options.smoke = true;
    else if (arg === "--sizes") options.sizes = value().split(",").map(Number);
    else if (arg === "--variants") options.variants = value().split(",");
    else if (arg === "--dir") options.directory = value();
    else if (arg === "--timeout") options.timeoutMs = Number(value()) * 1000;
    else if (arg === "--node-flags") options.nodeFlags = parseNodeFlags(value());
    else return false;
  });
  options.sizes ??= options.smoke ? SMOKE_SIZES : FULL_SIZES;
  for (const n of options.sizes) if (!(Number.isInteger(n) && n > 0)) throw new Error(`--sizes: ${n} is not a whole number > 0\n${usage}`);
  for (const v of options.variants) if (!MAP_MEMORY_VARIANTS[v]) throw new Error(`--variants: unknown variant ${v}; one of ${Object.keys(MAP_MEMORY_VARIANTS).join(", ")}`);
  if (!(options.timeoutMs > 0)) throw new Error("--timeout must be a positive number of seconds");
  return options;
}

/**
 * Runs one (variant, N) twice, each in a fresh `node`: once for peak RSS, once reading the heap
 * after full collections (live). Resolves with both results merged, or an error.
 */
async function runOne(variant, items, options) {
  const once = (live) =>
    runResultChild({
      script: childPath,
      args: [JSON.stringify({ variant, items, directory: options.directory, live })],
      nodeArgs: ["--expose-gc", ...options.nodeFlags],
      cwd: benchDir,
      prefix: MAP_MEMORY_PREFIX,
      timeoutMs: options.timeoutMs,
    });
  const rss = await once(false);
  if (!rss.result) return { variant, items, error: rss.error };
  const live = await once(true);
  if (!live.result) return { variant, items, error: `live run: ${live.error}` };
  const { baselineHeap, peakLiveHeap, heapWithResult, heapWithoutResult } = live.result;
  return { variant, items, ...rss.result, baselineHeap, peakLiveHeap, heapWithResult, heapWithoutResult };
}

/** The BatchResult's own share of the heap: held minus dropped, after full collections. */
export const resultHeapOf = (r) => r.heapWithResult - r.heapWithoutResult;
/** The highest live heap while the map ran, above the baseline, minus the result's own share. */
export const liveBeyondResultOf = (r) => r.peakLiveHeap - r.baselineHeap - resultHeapOf(r);
/**
 * The map's own bookkeeping (each item's status, the summary it checkpoints; the input array is made
 * before the baseline) is a few bytes an item beside the result's ~57: live memory beyond the result may
 * grow by at most this share of what the result grows by, from one N to the next.
 */
export const LIVE_BEYOND_RESULT_SHARE = 0.5;

/** The successful runs of `variant`, as pairs of consecutive sizes: [smaller, larger]. */
function consecutivePairs(results, variant) {
  const runs = results.filter((r) => r.variant === variant && !r.error).sort((a, b) => a.items - b.items);
  return runs.slice(1).map((larger, i) => [runs[i], larger]);
}

/** For each step from one N to the next: whether the live heap beyond the result stays within its share. */
export function liveVerdicts(results, variant) {
  return consecutivePairs(results, variant).map(([smaller, larger]) => {
    const growth = liveBeyondResultOf(larger) - liveBeyondResultOf(smaller);
    const resultGrowth = resultHeapOf(larger) - resultHeapOf(smaller);
    return { from: smaller.items, to: larger.items, growth, resultGrowth, met: growth <= LIVE_BEYOND_RESULT_SHARE * Math.max(resultGrowth, 0) };
  });
}

export function liveTable(results) {
  const rows = [["map", "items", "result in heap MB", "peak live MB", "peak live beyond result MB", "left after the run MB"]];
  for (const r of results) {
    if (r.error) continue;
    rows.push([r.variant, r.items, mb(resultHeapOf(r)), mb(r.peakLiveHeap - r.baselineHeap), mb(liveBeyondResultOf(r)), mb(r.heapWithoutResult - r.baselineHeap)]);
  }
  return table(rows);
}

const mb = (bytes) => fmt(bytes / 1e6);

/** Peak RSS above what the process had before the map, in bytes. */
export const growthOf = (r) => r.peakRss - r.baselinePeak;

/**
 * For each step from one N to the next: whether memory beyond the result stays flat, the growth of
 * peak RSS within RESULT_ALLOWANCE × the growth of the result's JSON.
 */
export function boundedVerdicts(results, variant) {
  return consecutivePairs(results, variant).map(([smaller, larger]) => {
    const rssGrowth = growthOf(larger) - growthOf(smaller);
    const resultGrowth = larger.resultJsonBytes - smaller.resultJsonBytes;
    return { from: smaller.items, to: larger.items, rssGrowth, resultGrowth, met: rssGrowth <= RESULT_ALLOWANCE * resultGrowth };
  });
}

export function memoryTable(results) {
  const rows = [["map", "items", "ms", "peak RSS MB", "above baseline MB", "per item", "result JSON MB", "above ÷ result", "store on disk MB"]];
  for (const r of results) {
    if (r.error) {
      rows.push([r.variant, r.items, "error", "", "", "", "", "", ""]);
      continue;
    }
    const growth = growthOf(r);
    rows.push([
      r.variant,
      r.items,
      r.ms,
      mb(r.peakRss),
      mb(growth),
      `${fmt(growth / r.items)} B`,
      mb(r.resultJsonBytes),
      `${fmt(growth / r.resultJsonBytes)}×`,
      mb(r.storeBytes),
    ]);
  }
  return table(rows);
}

/** Runs every (variant, N), one child each, smallest N first. */
export async function measureMapMemory({ sizes, variants, directory, timeoutMs, nodeFlags = [] }) {
  const results = [];
  for (const variant of variants) {
    for (const items of [...sizes].sort((a, b) => a - b)) {
      const result = await runOne(variant, items, { directory, timeoutMs, nodeFlags });
      process.stderr.write(`  map memory ${variant} ${items}: ${JSON.stringify(result)}\n`);
      results.push(result);
    }
  }
  return results;
}

/** Prints the section: the variants, the table and the verdict per variant. */
export function printMemorySection(results, variants) {
  console.log("\n## Memory: one map on the file store, peak RSS (each run in a process of its own)\n");
  for (const v of variants) console.log(`# ${v}: ${MAP_MEMORY_VARIANTS[v].label}`);
  console.log("");
  console.log(memoryTable(results));
  console.log(
    "\npeak RSS: the process's high-water mark (process.resourceUsage().maxRSS) after the map; above baseline: minus the mark after " +
      "loading everything and running a 10-item map first; per item: above baseline ÷ items; result JSON: JSON.stringify of the " +
      "BatchResult (one entry per item), which the handler holds whole by design, measured after the peak; store on disk: the execution's files when it ended.",
  );
  console.log("\n### Live memory: heap + external (after full collections, in a second run of each)\n");
  console.log(liveTable(results));
  console.log(
    "\nresult in heap: live memory with the BatchResult held minus without it; peak live: the highest live memory (heap used + external) after a full collection, " +
      "read every 100 ms while the map ran, above the baseline's; beyond result: peak live minus the result in heap; left after the run: " +
      "what the store and engine still hold once the result is dropped.",
  );
  console.log(
    `\nTarget (printed, not asserted): memory does not grow with N beyond the result itself — from one N to the next, peak live heap ` +
      `beyond the result grows by at most ${LIVE_BEYOND_RESULT_SHARE}× what the result in heap grows by (the map's own few bytes an item; the input array is made before the baseline), and what is left after the run stays flat.`,
  );
  for (const v of variants) {
    for (const verdict of liveVerdicts(results, v)) {
      console.log(
        `${v}: ${verdict.from} → ${verdict.to} items: live beyond the result ${verdict.growth >= 0 ? "+" : ""}${mb(verdict.growth)} MB, ` +
          `result in heap +${mb(verdict.resultGrowth)} MB (limit ${LIVE_BEYOND_RESULT_SHARE}×): ${verdict.met ? "met" : "not met"}`,
      );
    }
  }
  console.log(
    "\nPeak RSS also counts the heap V8 reserves beyond what is live: its young generation, and garbage in its old generation, which it " +
      "lets grow to a multiple of what was live after its last full collection (the result above all) before it collects it again. A short run " +
      "ends before the heap has grown to that size, so the first steps mostly show it growing there.",
  );
  console.log(`RSS (printed, not asserted): from one N to the next, peak RSS above baseline grows by at most ${RESULT_ALLOWANCE}× what the result's JSON grows by.`);
  for (const v of variants) {
    const verdicts = boundedVerdicts(results, v);
    if (verdicts.length === 0) console.log(`${v}: n/a (fewer than two sizes ran)`);
    for (const verdict of verdicts) {
      console.log(
        `${v}: ${verdict.from} → ${verdict.to} items: RSS above baseline ${verdict.rssGrowth >= 0 ? "+" : ""}${mb(verdict.rssGrowth)} MB, result JSON +${mb(verdict.resultGrowth)} MB ` +
          `(${fmt(verdict.rssGrowth / verdict.resultGrowth)}×, limit ${RESULT_ALLOWANCE}×): ${verdict.met ? "met" : "not met"}`,
      );
    }
  }
}

/** `node run.mjs memory`: the section alone, then a summary line for scripts. */
export async function runMapMemory(argv) {
  const options = parseArgs(argv);
  console.log(`# cairn bench memory${options.smoke ? " --smoke" : ""} — node ${process.version}; temporary files in ${options.directory}`);
  if (options.nodeFlags.length > 0) console.log(`# the children run with: node ${options.nodeFlags.join(" ")}`);
  const results = await measureMapMemory(options);
  printMemorySection(results, options.variants);
  const failures = results.filter((r) => r.error).map((r) => `${r.variant} ${r.items}: ${r.error}`);
  if (failures.length > 0) console.log(`\n## Did not run to the end\n\n${failures.join("\n")}`);
  console.log(`${MEMORY_SUMMARY_PREFIX}${JSON.stringify({ smoke: options.smoke, results, failures })}`);
  return failures.length > 0 ? 1 : 0;
}
