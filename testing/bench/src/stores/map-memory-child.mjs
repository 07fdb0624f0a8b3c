// Child process: one map over N items on the file store, then one line with its peak RSS.
//   node --expose-gc src/stores/map-memory-child.mjs '<{ "items": N, "variant": "map"|"chunked", "directory": "<tmp>", "live": false }>'
// With "live": true it reads the heap after full collections instead of RSS (see main).
// One run per process, so the peak (the kernel's high-water mark, which never goes down) belongs to
// this run alone. Prints `MAP_MEMORY_RESULT {...}`.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { withDurableExecution } from "@cairn/sdk";
import { runExecution, systemClock } from "@cairn/sdk/orchestrator";
import { CheckpointService, FileExecutionStore } from "@cairn/sdk/service";
import { now } from "../clock.mjs";
import { MAP_MEMORY_PREFIX, MAP_MEMORY_VARIANTS } from "./map-memory-variants.mjs";

/**
 * Memory in use after a full collection (the child runs with --expose-gc): the JavaScript heap and
 * the memory outside it that JavaScript objects hold (Buffers, typed arrays).
 */
function liveHeap() {
  globalThis.gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Peak resident set size so far, in bytes (`maxRSS` is in kilobytes). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

function directorySize(directory) {
  let bytes = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    bytes += entry.isDirectory() ? directorySize(path) : statSync(path).size;
  }
  return bytes;
}

async function main() {
  const options = JSON.parse(process.argv[2] ?? "{}");
  const variant = MAP_MEMORY_VARIANTS[options.variant];
  if (!variant) throw new Error(`variant must be one of ${Object.keys(MAP_MEMORY_VARIANTS).join(", ")}, got ${JSON.stringify(options.variant)}`);
  if (!(Number.isInteger(options.items) && options.items > 0)) throw new Error(`items must be a whole number > 0, got ${JSON.stringify(options.items)}`);
  const directory = mkdtempSync(join(options.directory, "cairn-bench-map-memory-"));
  try {
    // The handler keeps the BatchResult and returns only a count, so the execution's own result
    // stays small and what is left of RSS is the store's and the map's. The result's JSON is
    // measured only once the peak has been read: a string as large as the result, made while the
    // map runs, would be counted in the very peak it is set against.
    let kept;
    // Reads `kept` itself: a value this function loaded into one of its own registers could stay
    // there, unseen, and keep the result alive after `kept` is cleared (the live mode's figures).
    const keptJsonBytes = () => (kept === undefined ? 0 : Buffer.byteLength(JSON.stringify(kept)));
    // The input is the caller's data, there before the map: made before the baseline is read.
    const input = Array.from({ length: options.items }, (_, i) => i);
    const handler = withDurableExecution(async (event, ctx) => {
      const items = event.items === input.length ? input : Array.from({ length: event.items }, (_, i) => i);
      const batch = await variant.run(ctx, items);
      kept = batch;
      return batch.successCount;
    });
    const service = new CheckpointService({ store: new FileExecutionStore(directory), clock: systemClock });
    const run = (items) => runExecution({ service, clock: systemClock, handler, target: { start: { input: JSON.stringify({ items }) } } });
    // Everything loaded and one small execution run first, so the baseline includes the code.
    await run(10);
    kept = undefined;
    const live = options.live === true;
    const baselineHeap = live ? liveHeap() : undefined;
    const baselineRss = process.memoryUsage().rss;
    const baselinePeak = peakRss();
    // In the live mode the heap is collected and read every 100 ms while the map runs (which
    // changes RSS, so RSS figures come from the other mode).
    let peakLiveHeap = 0;
    const sampler = live ? setInterval(() => (peakLiveHeap = Math.max(peakLiveHeap, liveHeap())), 100) : undefined;
    const start = now();
    const { state, execution } = await run(options.items);
    const ms = now() - start;
    clearInterval(sampler);
    const peak = peakRss();
    const resultJsonBytes = keptJsonBytes();
    if (state !== "completed" || execution.status !== "SUCCEEDED" || execution.result !== String(options.items)) {
      throw new Error(`the map ended ${state}/${execution.status} with ${execution.result ?? execution.error?.ErrorMessage ?? "nothing"}`);
    }
    const measured = { items: options.items, variant: options.variant, ms: Math.round(ms), resultJsonBytes, storeBytes: directorySize(directory) };
    if (!live) return { ...measured, baselineRss, baselinePeak, peakRss: peak };
    // The result's own size: the heap with the BatchResult held, then without it.
    if (kept?.successCount !== options.items) throw new Error("the map's BatchResult was not kept for measuring");
    const heapWithResult = liveHeap();
    kept = undefined;
    const heapWithoutResult = liveHeap();
    return { ...measured, live: true, baselineHeap, peakLiveHeap: Math.max(peakLiveHeap, heapWithResult), heapWithResult, heapWithoutResult };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().then(
  (result) => {
    process.stdout.write(`${MAP_MEMORY_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error) => {
    process.stdout.write(`${MAP_MEMORY_PREFIX}${JSON.stringify({ error: String(error?.stack ?? error) })}\n`);
    process.exit(1);
  },
);
