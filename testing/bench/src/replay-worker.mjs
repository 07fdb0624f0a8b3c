// Child process of the replay-scaling section: builds ONE execution of ONE shape with N
// operations, then times invocations that replay all of it, and prints one result line.
//   node src/replay-worker.mjs <shape> <n>
// A fresh process per (shape, N): the heap of a larger run cannot slow a smaller one.

import { now } from "./clock.mjs";
import { PerformanceObserver } from "node:perf_hooks";
import { withDurableExecution } from "@cairn/sdk";
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { invokeOnce, VirtualClock } from "@cairn/sdk/orchestrator";
import { REPLAY_RESULT_PREFIX, REPLAY_SHAPES } from "./replay-shapes.mjs";

/** Untimed replays first, until this many operations were replayed (at least two): JIT warm-up. */
const WARMUP_OPERATIONS = 100_000;
const MIN_TIMED = 5;
const MAX_TIMED = 30;
/** Timed replays stop after this long (once MIN_TIMED are in). */
const BUDGET_MS = 10_000;

/** Milliseconds of garbage collection that started inside the timing window [start, end). */
const gc = { start: Infinity, end: Infinity, ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.startTime >= gc.start && entry.startTime < gc.end) gc.ms += entry.duration;
}).observe({ entryTypes: ["gc"] });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
/** Lets GC entries of the window just closed reach the observer. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function main(shapeName, n) {
  const shape = REPLAY_SHAPES[shapeName];
  if (!shape) throw new Error(`unknown shape "${shapeName}"; one of ${Object.keys(REPLAY_SHAPES).join(", ")}`);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`N must be a positive whole number, got ${n}`);
  // The shapes end in an hour-long wait on a clock that never moves: every invocation after the
  // first replays everything checkpointed, blocks on the wait and suspends without writing.
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const handler = withDurableExecution(shape.handler(n));
  const { executionArn } = await service.startExecution({ input: "{}" });
  let invocationNumber = 0;
  const invoke = async () => {
    const { record } = await invokeOnce({ service, clock, handler, executionArn, invocationNumber: ++invocationNumber, invocationTimeoutMs: 3_600_000 });
    if (record.outcome.kind !== "returned" || record.outcome.output.Status !== "PENDING") {
      throw new Error(`invocation ${invocationNumber} ended ${JSON.stringify(record.outcome).slice(0, 300)}, expected PENDING`);
    }
    return record;
  };

  const firstStart = now();
  await invoke();
  const firstRunMs = now() - firstStart;
  const operations = (await service.getOperations(executionArn)).length;

  const warmup = Math.max(2, Math.min(50, Math.ceil(WARMUP_OPERATIONS / operations)));
  const timed = [];
  const gcMs = [];
  let began = now();
  for (let run = 0; run < warmup + MAX_TIMED; run++) {
    if (run === warmup) began = now();
    if (run >= warmup + MIN_TIMED && now() - began > BUDGET_MS) break;
    await settle();
    const start = now();
    Object.assign(gc, { start, end: Infinity, ms: 0 });
    const record = await invoke();
    const ms = now() - start;
    gc.end = start + ms;
    await settle(); // the observer hears of the window's collections after it closed
    if (record.storedCheckpoints !== 0) throw new Error(`a replay stored ${record.storedCheckpoints} checkpoint(s); it should store none`);
    if (run < warmup) continue;
    timed.push(ms);
    gcMs.push(gc.ms);
  }
  const replayMs = median(timed);
  return {
    shape: shapeName,
    n,
    operations,
    replayMs: round(replayMs),
    usPerOp: round((replayMs * 1000) / operations, 3),
    minUsPerOp: round((Math.min(...timed) * 1000) / operations, 3),
    gcShare: round(median(gcMs) / replayMs, 3),
    runs: timed.length,
    firstRunMs: round(firstRunMs, 0),
    peakRssMB: round(process.resourceUsage().maxRSS / 1024, 0),
  };
}

const [shapeName, size] = process.argv.slice(2);
main(shapeName, Number(size)).then(
  (result) => {
    process.stdout.write(`${REPLAY_RESULT_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`${REPLAY_RESULT_PREFIX}${JSON.stringify({ shape: shapeName, n: Number(size), error: message })}\n`);
    process.exit(1);
  },
);
