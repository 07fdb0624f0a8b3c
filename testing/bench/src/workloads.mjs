// The workloads, written once against the API both SDKs share. Each `build` returns the durable
// handler plus how to check the run and what to time. Handlers use only `withDurableExecution`,
// `ctx.step`, `ctx.wait`, `ctx.map` and `ctx.parallel` with the same arguments on both SDKs.

import { now } from "./clock.mjs";

/**
 * How long the handlers wait. With time skipping an hour costs nothing but a re-invocation;
 * on real timers (aws-realtime) the wait is really slept, so it is one second there.
 */
const waitFor = (sdk) => (sdk.skipsTime ? { seconds: 3600 } : { seconds: 1 });

/**
 * @typedef {object} Workload
 * @property {string} id
 * @property {string} what             one line for the README-style legend
 * @property {number} runs             timed runs wanted (median reported); capped by budgetMs
 * @property {number} warmup           untimed warm-up runs (JIT), within a third of budgetMs
 * @property {boolean} [cairnOnly]     uses Cairn additions (mapBatches): not run on the AWS columns
 * @property {boolean} [hasWaits]      uses ctx.wait (1 s instead of 1 h where time is not skipped)
 * @property {number} [replayN]        steps replayed by the resumed invocation (replay workloads)
 * @property {number} budgetMs         stop adding timed runs once this much time was spent
 * @property {"median"|"mean"} stat
 * @property {"run"|"resumed"} timing  whole `runner.run`, or the resumed (2nd) invocation only
 * @property {{ ms?: number, peakRssMB?: number }} [target]  Cairn's targets, printed not asserted
 * @property {(sdk: import("./sdks.mjs").SdkAdapter) => Built} build
 */

/**
 * @typedef {object} Built
 * @property {Function} handler
 * @property {unknown} payload
 * @property {(result: unknown) => void} check   throws when the run did not do the work
 * @property {number[]} [invocationMs]           filled by a timing wrapper (timing "resumed")
 * @property {(result: any) => object} [describe] extra fields for the result line, from the first run
 */

function expectEqual(what, actual, expected) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function sequentialSteps(n) {
  return (sdk) => ({
    handler: sdk.withDurableExecution(async (_event, ctx) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await ctx.step(async () => i);
      return sum;
    }),
    payload: {},
    check: (result) => expectEqual("sum of step results", result, (n * (n - 1)) / 2),
  });
}

function mapOneStepEach(n, maxConcurrency) {
  const items = Array.from({ length: n }, (_, i) => i);
  return (sdk) => ({
    handler: sdk.withDurableExecution(async (_event, ctx) => {
      const batch = await ctx.map(
        "map",
        items,
        async (itemCtx, item) => itemCtx.step(async () => item * 2),
        maxConcurrency === undefined ? undefined : { maxConcurrency },
      );
      return batch.successCount;
    }),
    payload: {},
    check: (result) => expectEqual("map successCount", result, n),
  });
}

function parallelOneStepEach(n) {
  return (sdk) => {
    const branches = Array.from({ length: n }, (_, i) => async (branchCtx) => branchCtx.step(async () => i));
    return {
      handler: sdk.withDurableExecution(async (_event, ctx) => {
        const batch = await ctx.parallel("parallel", branches);
        return batch.successCount;
      }),
      payload: {},
      check: (result) => expectEqual("parallel successCount", result, n),
    };
  };
}

function parallelFirstWins(n) {
  return (sdk) => {
    const branches = Array.from({ length: n }, (_, i) =>
      i === 0
        ? async (branchCtx) => branchCtx.step(async () => "first")
        : async (branchCtx) => {
            await branchCtx.wait(waitFor(sdk));
            return "late";
          },
    );
    return {
      handler: sdk.withDurableExecution(async (_event, ctx) => {
        const batch = await ctx.parallel("race", branches, { completionConfig: sdk.minSuccessful(1) });
        return batch.successCount;
      }),
      payload: {},
      check: (result) => expectEqual("parallel successCount", result, 1),
    };
  };
}

/** N completed steps, then a wait: the second invocation replays N checkpoints and finishes. */
function replayAfterSteps(n) {
  return (sdk) => {
    const durable = sdk.withDurableExecution(async (_event, ctx) => {
      for (let i = 0; i < n; i++) await ctx.step(async () => i);
      await ctx.wait("pause", waitFor(sdk));
      return n;
    });
    /** @type {number[]} */
    const invocationMs = [];
    return {
      // Times every invocation; the runner calls this exactly as it would call `durable`.
      handler: async (event, lambdaContext) => {
        const start = now();
        try {
          return await durable(event, lambdaContext);
        } finally {
          invocationMs.push(now() - start);
        }
      },
      invocationMs,
      payload: {},
      check: (result) => expectEqual("result", result, n),
    };
  };
}

function singleStep() {
  return (sdk) => ({
    handler: sdk.withDurableExecution(async (_event, ctx) => ctx.step("only", async () => 1)),
    payload: {},
    check: (result) => expectEqual("result", result, 1),
  });
}

/** @type {Workload[]} */
/**
 * A 10 000-record batch, one step per record (`map`) or one step per chunk of 25 (`mapBatches`,
 * Cairn only). `describe` adds the number of checkpointed operations to the result line.
 */
function recordBatch(n, chunked) {
  const records = Array.from({ length: n }, (_, i) => ({ id: `r-${i}`, value: i }));
  return (sdk) => ({
    handler: sdk.withDurableExecution(async (_event, ctx) => {
      const result = chunked
        ? await ctx.mapBatches("records", records, async (c, batch) => c.step(async () => batch.map((r) => r.value)), {
            itemBatcher: { maxItemsPerBatch: 25 },
          })
        : await ctx.map("records", records, async (c, r) => c.step(async () => r.value));
      return result.successCount;
    }),
    payload: {},
    check: (result) => expectEqual("batch successCount", result, n),
    describe: (result) => ({ operations: result.getOperations().length }),
  });
}

export const WORKLOADS = [
  {
    id: "seq-steps-1000",
    what: "1000 sequential ctx.step calls in one invocation",
    runs: 7,
    warmup: 3,
    budgetMs: 20_000,
    stat: "median",
    timing: "run",
    target: { ms: 100 },
    build: sequentialSteps(1000),
  },
  {
    id: "map-5000",
    what: "ctx.map over 5000 items, one step per item, unbounded concurrency",
    runs: 3,
    warmup: 3,
    budgetMs: 20_000,
    stat: "median",
    timing: "run",
    target: { ms: 250, peakRssMB: 120 },
    build: mapOneStepEach(5000, undefined),
  },
  {
    id: "map-5000-c10",
    what: "ctx.map over 5000 items, one step per item, maxConcurrency 10",
    runs: 3,
    warmup: 3,
    budgetMs: 20_000,
    stat: "median",
    timing: "run",
    build: mapOneStepEach(5000, 10),
  },
  {
    id: "parallel-1000",
    what: "ctx.parallel of 1000 branches, each branch runs one step",
    runs: 3,
    warmup: 3,
    budgetMs: 20_000,
    stat: "median",
    timing: "run",
    build: parallelOneStepEach(1000),
  },
  ...[1000, 2000, 5000, 10_000].map((n) => ({
    id: `replay-${n}`,
    replayN: n,
    hasWaits: true,
    what: `${n} steps then a wait; time of the resumed invocation (replays ${n} steps) only`,
    runs: 5,
    warmup: 2,
    budgetMs: 20_000,
    stat: "median",
    timing: "resumed",
    target: n === 10_000 ? { ms: 100 } : undefined,
    build: replayAfterSteps(n),
  })),
  {
    id: "parallel-first-wins-1000",
    hasWaits: true,
    what: "ctx.parallel of 1000 branches, minSuccessful(1): branch 0 runs one step, 999 wait",
    runs: 3,
    warmup: 3,
    budgetMs: 20_000,
    stat: "median",
    timing: "run",
    build: parallelFirstWins(1000),
  },
  {
    id: "batch-10000",
    cairnOnly: true,
    what: "ctx.map over 10 000 records, one step per record (the unchunked baseline for batch-10000-chunked)",
    runs: 3,
    warmup: 1,
    budgetMs: 30_000,
    stat: "median",
    timing: "run",
    build: recordBatch(10_000, false),
  },
  {
    id: "batch-10000-chunked",
    cairnOnly: true,
    what: "ctx.mapBatches over the same 10 000 records, 25 per chunk, one step per chunk",
    runs: 3,
    warmup: 1,
    budgetMs: 30_000,
    stat: "median",
    timing: "run",
    build: recordBatch(10_000, true),
  },
  {
    id: "overhead-1-step",
    what: "fixed cost of one runner.run of a single-step handler (mean over up to 200 runs)",
    runs: 200,
    warmup: 3,
    budgetMs: 30_000,
    stat: "mean",
    timing: "run",
    target: { ms: 5 },
    build: singleStep(),
  },
];

export function workloadById(id) {
  const workload = WORKLOADS.find((w) => w.id === id);
  if (!workload) throw new Error(`unknown workload "${id}"; known: ${WORKLOADS.map((w) => w.id).join(", ")}`);
  return workload;
}
