// Child process: benchmarks ONE workload on ONE SDK and prints one result line.
//   node src/worker.mjs <cairn|aws> <workload-id>
// A fresh process per pair keeps peak RSS, JIT state and global patches (fake timers) separate.

import { now } from "./clock.mjs"; // first: binds the real clock before any SDK loads
import { loadSdk } from "./sdks.mjs";
import { workloadById } from "./workloads.mjs";

export const RESULT_PREFIX = "BENCH_RESULT ";

const [sdkName, workloadId] = process.argv.slice(2);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const peakRssMB = () => round(process.resourceUsage().maxRSS / 1024, 1); // maxRSS is in KiB

async function runOnce(sdk, workload) {
  const built = workload.build(sdk);
  const runner = sdk.createRunner(built.handler);
  const start = now();
  const result = await runner.run({ payload: built.payload });
  const runMs = now() - start;
  const status = result.getStatus();
  if (status !== "SUCCEEDED") {
    const error = safe(() => result.getError());
    throw new Error(`execution ended ${status}${error ? `: ${error.errorMessage ?? JSON.stringify(error)}` : ""}`);
  }
  built.check(result.getResult());
  const invocations = result.getInvocations().length;
  const extra = built.describe?.(result);
  if (workload.timing === "resumed") {
    const calls = built.invocationMs;
    if (calls.length < 2) throw new Error(`expected a resumed invocation, the handler was called ${calls.length} time(s)`);
    return { ms: calls[1], runMs, firstInvocationMs: calls[0], invocations };
  }
  return { ms: runMs, runMs, invocations, extra };
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

async function main() {
  const workload = workloadById(workloadId);
  const sdk = await loadSdk(sdkName);
  await sdk.setup();
  const baseRssMB = round(process.memoryUsage().rss / 1024 / 1024, 1);
  const line = { sdk: sdkName, workload: workload.id };
  try {
    const began = now();
    const samples = [];
    const warmupMs = [];
    let firstRunRssMB;
    const measure = async () => {
      const sample = await runOnce(sdk, workload);
      // Peak RSS of ONE run in a fresh process; later runs add their garbage to the same peak.
      firstRunRssMB ??= peakRssMB();
      return sample;
    };
    // Warm-up runs (JIT) while they fit in a third of the budget. A warm-up longer than the whole
    // budget becomes the only (cold) sample: one figure is better than a timeout.
    while (warmupMs.length < workload.warmup && now() - began < workload.budgetMs / 3) {
      const warm = await measure();
      warmupMs.push(warm.runMs);
      if (warm.runMs > workload.budgetMs) {
        samples.push(warm);
        line.cold = true;
        break;
      }
    }
    while (samples.length === 0 || (samples.length < workload.runs && now() - began < workload.budgetMs)) {
      samples.push(await measure());
    }
    const ms = samples.map((s) => s.ms);
    Object.assign(line, {
      ms: round(workload.stat === "mean" ? mean(ms) : median(ms)),
      stat: workload.stat,
      runs: samples.length,
      minMs: round(Math.min(...ms)),
      maxMs: round(Math.max(...ms)),
      peakRssMB: firstRunRssMB,
      peakRssAllRunsMB: peakRssMB(),
      baseRssMB,
      invocations: samples[0].invocations,
      ...samples[0].extra,
    });
    if (workload.timing === "resumed") {
      Object.assign(line, {
        timing: "resumed invocation",
        n: workload.replayN,
        firstInvocationMs: round(median(samples.map((s) => s.firstInvocationMs))),
        runMs: round(median(samples.map((s) => s.runMs))),
      });
    }
    if (warmupMs.length > 0) line.warmupMs = warmupMs.map((m) => round(m, 1));
  } catch (error) {
    Object.assign(line, { error: error instanceof Error ? error.message : String(error), peakRssMB: peakRssMB() });
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(line)}\n`);
  await sdk.teardown();
}

main().then(
  // The AWS checkpoint server is a worker thread; exit explicitly so a straggling handle cannot
  // keep the child alive past its result.
  () => process.exit(0),
  (error) => {
    process.stdout.write(
      `${RESULT_PREFIX}${JSON.stringify({ sdk: sdkName, workload: workloadId, error: error instanceof Error ? error.message : String(error) })}\n`,
    );
    process.exit(1);
  },
);
