// A distributed map's counts as the web view and `cairn inspect` derive them: from hand-made
// operations for the states a run passes through (some children finished, one failed, some never
// started, one stopped early), and from a real map run by the built `cairn` on the file store.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, runCli, tempDir } from "../test-support/spawn-cli.js";
import { describeDistributedMap, distributedMapProgress, type DistributedMapCounts } from "@cairn/sdk/progress";
import { fileUiDataSource } from "./data-source.js";
import type { ExecutionView, OperationJson } from "./view-types.js";
import { viewWith } from "./test-support/view.js";
import { payloadValue } from "./web/format.js";
import { buildTimeline, defaultCollapsed, rowStatus } from "./web/timeline-model.js";

const T = "2026-01-01T00:00:01.000Z";
const json = (value: unknown): string => JSON.stringify(value);
const counts = (c: Partial<DistributedMapCounts>): DistributedMapCounts => {
  const full = { succeeded: 0, failed: 0, timedOut: 0, skipped: 0, pending: 0, ...c };
  return { ...full, total: c.total ?? full.succeeded + full.failed + full.timedOut + full.skipped + full.pending };
};

/** The map context `1` and its `plan` step, over `ranges` of an array of `totalItems`. */
function mapOps(status: string, ranges: [number, number][], totalItems: number, result?: unknown): OperationJson[] {
  return [
    {
      Id: "1",
      Type: "CONTEXT",
      SubType: "RunInChildContext",
      Name: "distributed-map-orders",
      StartTimestamp: T,
      Status: status,
      ...(status === "STARTED" ? {} : { EndTimestamp: T }),
      ...(result === undefined ? {} : { ContextDetails: { Result: json(result) } }),
    },
    { Id: "1-1", ParentId: "1", Type: "STEP", Name: "plan", StartTimestamp: T, EndTimestamp: T, Status: "SUCCEEDED", StepDetails: { Result: json({ partitions: ranges.map((range) => ({ range })), totalItems }) } },
  ];
}

type Child = { admit?: unknown; invoke?: { status: string; result?: unknown; error?: string }; progress?: unknown };

/** Partition `n`'s context `1-<n + 2>` with its admit step, invoke and progress step. */
function partitionOps(n: number, child: Child): OperationJson[] {
  const id = `1-${n + 2}`;
  const declined = (child.admit as { start?: boolean } | undefined)?.start === false;
  const status = declined || child.progress !== undefined ? "SUCCEEDED" : "STARTED";
  const ops: OperationJson[] = [{ Id: id, ParentId: "1", Type: "CONTEXT", Name: `partition-${n}`, StartTimestamp: T, Status: status }];
  if (child.admit !== undefined) ops.push({ Id: `${id}-1`, ParentId: id, Type: "STEP", Name: "admit", StartTimestamp: T, Status: "SUCCEEDED", StepDetails: { Result: json(child.admit) } });
  if (child.invoke !== undefined) {
    ops.push({
      Id: `${id}-2`,
      ParentId: id,
      Type: "CHAINED_INVOKE",
      Name: `orders-partition-${n}`,
      StartTimestamp: T,
      Status: child.invoke.status,
      ChainedInvokeDetails: {
        ...(child.invoke.result === undefined ? {} : { Result: json(child.invoke.result) }),
        ...(child.invoke.error === undefined ? {} : { Error: { ErrorType: "InvokeError", ErrorMessage: child.invoke.error } }),
      },
    });
  }
  if (child.progress !== undefined) ops.push({ Id: `${id}-3`, ParentId: id, Type: "STEP", Name: "progress", StartTimestamp: T, Status: "SUCCEEDED", StepDetails: { Result: json(child.progress) } });
  return ops;
}

const childResult = (partition: number, c: DistributedMapCounts, extra: Record<string, unknown> = {}): unknown => ({
  partition,
  counts: c,
  pages: 1,
  failedItems: [],
  failedItemsTruncated: false,
  ...extra,
});

const RANGES: [number, number][] = [
  [0, 100],
  [100, 200],
  [200, 300],
  [300, 400],
];

describe("distributedMapProgress: a running map", () => {
  // Partitions 0 and 1 finished together: partition 1's progress step is not written yet, so the
  // latest progress step lags behind the children's own counts. Partition 2 runs; 3 is queued.
  const first = counts({ succeeded: 98, failed: 2 });
  const second = counts({ succeeded: 100 });
  const operations = [
    ...mapOps("STARTED", RANGES, 400),
    ...partitionOps(0, { admit: { start: true }, invoke: { status: "SUCCEEDED", result: childResult(0, first) }, progress: { finishedChildren: 1, counts: first } }),
    ...partitionOps(1, { admit: { start: true }, invoke: { status: "SUCCEEDED", result: childResult(1, second) } }),
    ...partitionOps(2, { admit: { start: true }, invoke: { status: "STARTED" } }),
  ];

  it("counts children by where they are and sums the finished children's items", () => {
    const [map] = distributedMapProgress(operations, payloadValue);
    expect(map?.name).toBe("orders");
    expect(map?.planned).toBe(4);
    expect(map?.totalItems).toBe(400);
    expect(map?.children).toEqual({ started: 3, running: 1, finished: 2, failed: 0, notStarted: 0, queued: 1 });
    expect(map?.counts).toEqual(counts({ succeeded: 198, failed: 2 }));
    expect(map?.processed).toBe(200);
    expect(map?.completionReason).toBeUndefined();
    expect(map?.partitions.map((p) => [p.status, p.operationId])).toEqual([
      ["SUCCEEDED", "1-2"],
      ["SUCCEEDED", "1-3"],
      ["RUNNING", "1-4"],
      ["QUEUED", undefined],
    ]);
  });

  it("falls back to the progress step with the most finished children when a child's counts cannot be read", () => {
    const unreadable = operations.map((op) => (op.Id === "1-3-2" ? { ...op, ChainedInvokeDetails: { Result: '"not counts"' } } : op));
    const later = counts({ succeeded: 150, failed: 2 });
    const withProgress = [
      ...unreadable,
      { Id: "1-3-3", ParentId: "1-3", Type: "STEP", Name: "progress", StartTimestamp: T, Status: "SUCCEEDED", StepDetails: { Result: json({ finishedChildren: 2, counts: later }) } },
    ];
    expect(distributedMapProgress(withProgress, payloadValue)[0]?.counts).toEqual(later);
  });

  it("is not recognised before its plan step has a result, nor from the name alone", () => {
    const [context] = mapOps("STARTED", RANGES, 400);
    expect(distributedMapProgress([context as OperationJson], payloadValue)).toEqual([]);
    const planStarted = mapOps("STARTED", RANGES, 400).map((op) => (op.Name === "plan" ? { ...op, Status: "STARTED", StepDetails: {} } : op));
    expect(distributedMapProgress(planStarted, payloadValue)).toEqual([]);
  });
});

describe("distributedMapProgress: a finished map", () => {
  const ok = counts({ succeeded: 99, failed: 1 });
  const stopped = counts({ succeeded: 10, failed: 11 });
  const partitions = [
    ...partitionOps(0, { admit: { start: true }, invoke: { status: "SUCCEEDED", result: childResult(0, ok) }, progress: { finishedChildren: 1, counts: ok } }),
    ...partitionOps(1, { admit: { start: true }, invoke: { status: "FAILED", error: "the source kept failing" }, progress: { finishedChildren: 2, counts: ok } }),
    ...partitionOps(2, {
      admit: { start: true },
      invoke: { status: "SUCCEEDED", result: childResult(2, stopped, { stoppedEarly: true }) },
      progress: { finishedChildren: 3, counts: counts({ succeeded: 109, failed: 12 }) },
    }),
    ...partitionOps(3, { admit: { start: false, reason: "FAILURE_TOLERANCE_EXCEEDED" } }),
  ];
  // What the SDK's summary says for these children: unread range items pending.
  const final = counts({ succeeded: 109, failed: 12, pending: 100 + 79 + 100 });

  it("takes the counts, the children's statuses and the completion reason from the map's result", () => {
    const result = {
      runId: "arn:x#1",
      counts: final,
      completionReason: "FAILURE_TOLERANCE_EXCEEDED",
      children: [
        { partition: 0, status: "SUCCEEDED", counts: ok },
        { partition: 1, status: "FAILED", errorMessage: "the source kept failing" },
        { partition: 2, status: "STOPPED_EARLY", counts: stopped },
        { partition: 3, status: "NOT_STARTED" },
      ],
      failedItems: [],
      failedItemsTruncated: false,
      aFieldAddedLater: { ignored: true },
    };
    const [map] = distributedMapProgress([...mapOps("SUCCEEDED", RANGES, 400, result), ...partitions], payloadValue);
    expect(map?.counts).toEqual(final);
    expect(map?.processed).toBe(121);
    expect(map?.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(map?.children).toEqual({ started: 3, running: 0, finished: 3, failed: 1, notStarted: 1, queued: 0 });
    expect(map?.partitions.map((p) => p.status)).toEqual(["SUCCEEDED", "FAILED", "STOPPED_EARLY", "NOT_STARTED"]);
    expect(map?.partitions[1]?.reason).toBe("the source kept failing");
    expect(describeDistributedMap(map!)).toBe(
      "3/4 children finished (1 failed, 1 not started) · items: 109 succeeded, 12 failed, 279 pending (121 of 400 processed) · FAILURE_TOLERANCE_EXCEEDED",
    );
  });

  it("recomputes the same counts from the partitions when the map's result is not stored", () => {
    // A result too large to store is rebuilt on replay (ReplayChildren): the context has none.
    const [map] = distributedMapProgress([...mapOps("SUCCEEDED", RANGES, 400), ...partitions], payloadValue);
    expect(map?.counts).toEqual(final);
    expect(map?.partitions.map((p) => p.status)).toEqual(["SUCCEEDED", "FAILED", "STOPPED_EARLY", "NOT_STARTED"]);
    expect(map?.partitions[2]?.counts).toEqual(stopped);
    // The reason a child was not started is the admit step's.
    expect(map?.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
  });

  it("draws a failed child's partition as failed and a never-started one as skipped on the timeline", () => {
    const view = viewWith("SUCCEEDED", [...mapOps("SUCCEEDED", RANGES, 400), ...partitions]);
    const model = buildTimeline(view);
    expect(model.distributedMaps).toHaveLength(1);
    expect(model.byId.get("1")?.distributedMap?.planned).toBe(4);
    expect(["1-2", "1-3", "1-4", "1-5"].map((id) => rowStatus(model.byId.get(id)!))).toEqual(["SUCCEEDED", "FAILED", "SUCCEEDED", "SKIPPED"]);
    expect(model.byId.get("1-4")?.partition?.status).toBe("STOPPED_EARLY");
    // The operations inside a partition keep their own status.
    expect(rowStatus(model.byId.get("1-3-2")!)).toBe("FAILED");
    expect(rowStatus(model.byId.get("1-5-1")!)).toBe("SUCCEEDED");
  });
});

describe("distributedMapProgress: thousands of partitions", () => {
  it("reads every partition, and the map's row starts collapsed on the timeline", () => {
    const n = 3000;
    const ranges = Array.from({ length: n }, (_, i): [number, number] => [i * 10, i * 10 + 10]);
    const done = counts({ succeeded: 10 });
    const operations = [...mapOps("STARTED", ranges, n * 10)];
    for (let i = 0; i < n - 500; i++) operations.push(...partitionOps(i, { admit: { start: true }, invoke: { status: "SUCCEEDED", result: childResult(i, done) } }));
    const model = buildTimeline(viewWith("RUNNING", operations));
    const [map] = model.distributedMaps;
    expect(map?.children).toEqual({ started: n - 500, running: 0, finished: n - 500, failed: 0, notStarted: 0, queued: 500 });
    expect(map?.counts).toEqual(counts({ succeeded: (n - 500) * 10 }));
    expect(map?.processed).toBe((n - 500) * 10);
    expect(defaultCollapsed(model).has("1")).toBe(true);
  });
});

describe("distributedMapProgress on a map run by `cairn run`", () => {
  it("reads the counts the SDK recorded, and inspect prints them on one line", async () => {
    const dir = tempDir("cairn-ui-dm-");
    try {
      const store = join(dir.path, "store");
      const env = { CAIRN_FIXTURE_FAILED_ITEMS: join(dir.path, "failed-items") };
      const run = await runCli(["run", fixture("distributed-map.mjs"), "--store", store, "--input", '{"count":500}'], { env });
      expect(run.code, run.stderr).toBe(0);
      const id = /execution ([0-9A-HJKMNP-TV-Z]{26})/.exec(run.stdout)?.[1] as string;
      const view = (await fileUiDataSource(store).getExecution(id)) as ExecutionView;
      const [map] = distributedMapProgress(view.operations, payloadValue);
      expect(map?.counts).toEqual(counts({ succeeded: 495, failed: 5 }));
      expect(map?.children).toEqual({ started: 5, running: 0, finished: 5, failed: 0, notStarted: 0, queued: 0 });
      expect(map?.partitions.map((p) => [p.status, p.counts?.total])).toEqual(Array.from({ length: 5 }, () => ["SUCCEEDED", 100]));
      expect(map?.totalItems).toBeUndefined(); // a paginated source: the plan does not know the total
      expect(map?.completionReason).toBe("ALL_COMPLETED");

      const inspect = await runCli(["inspect", id, "--store", store]);
      expect(inspect.code, inspect.stderr).toBe(0);
      expect(inspect.stdout).toContain("distributed map numbers  5/5 children finished · items: 495 succeeded, 5 failed · ALL_COMPLETED");
    } finally {
      dir.cleanup();
    }
  }, 90_000);
});
