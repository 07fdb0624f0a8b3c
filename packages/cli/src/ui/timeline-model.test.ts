// The timeline's rows from a real execution (attempts, retry delays, waiting, nesting) and from
// hand-made edge cases the CLI cannot easily produce (abandoned operations).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../test-support/spawn-cli.js";
import type { HistoryEvent, Operation } from "@cairn/sdk";
import { fileUiDataSource, timelineEvents } from "./data-source.js";
import { RETRY_WAIT_MAP, runToEnd } from "./test-support/ui-store.js";
import { viewWith } from "./test-support/view.js";
import type { ExecutionView, OperationJson } from "./view-types.js";
import { buildTimeline, defaultCollapsed, rowStatus, visibleRows, COLLAPSE_CHILDREN_OVER } from "./web/timeline-model.js";

let dir: { path: string; cleanup: () => void };
let view: ExecutionView;

beforeAll(async () => {
  dir = tempDir("cairn-ui-timeline-");
  const store = join(dir.path, "store");
  const id = await runToEnd(store, RETRY_WAIT_MAP);
  view = (await fileUiDataSource(store).getExecution(id)) as ExecutionView;
}, 60_000);
afterAll(() => dir?.cleanup());

describe("buildTimeline on a real execution", () => {
  it("has one row per operation, nested as the handler called them", () => {
    const model = buildTimeline(view);
    expect(model.count).toBe(9);
    expect(model.roots.map((row) => row.op.Name)).toEqual(["flaky-fetch", "pause", "items"]);
    const items = model.roots[2];
    expect(items?.children.map((row) => row.op.Id)).toEqual(["3-1", "3-2", "3-3"]);
    expect(items?.children[0]?.children.map((row) => [row.op.Name, row.depth])).toEqual([["double", 2]]);
    expect(visibleRows(model, new Set()).map((row) => row.op.Id)).toEqual(["1", "2", "3", "3-1", "3-1-1", "3-2", "3-2-1", "3-3", "3-3-1"]);
    expect(visibleRows(model, new Set(["3"])).map((row) => row.op.Id)).toEqual(["1", "2", "3"]);
  });

  it("splits a retried step into its attempts with the retry delays between them", () => {
    const step = buildTimeline(view).byId.get("1");
    expect(step?.attempts.map((a) => [a.number, a.outcome])).toEqual([
      [1, "FAILED"],
      [2, "FAILED"],
      [3, "SUCCEEDED"],
    ]);
    expect(step?.retryDelays).toHaveLength(2);
    const [first, second, third] = step?.attempts ?? [];
    const [delay1, delay2] = step?.retryDelays ?? [];
    // Each delay runs from one attempt's failure to the next attempt's start (about the 1 s asked for).
    expect(delay1?.start).toBe(first?.end);
    expect(delay1?.end).toBe(second?.start);
    expect(delay2?.start).toBe(second?.end);
    expect(delay2?.end).toBe(third?.start);
    expect((delay1?.end ?? 0) - (delay1?.start ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("marks waits as waiting and steps as working; bands come from the invocations", () => {
    const model = buildTimeline(view);
    expect(model.byId.get("2")?.waiting).toBe(true);
    expect(model.byId.get("1")?.waiting).toBe(false);
    expect(model.invocations).toHaveLength(view.invocationCount);
    for (const row of model.byId.values()) {
      expect(row.bar.start).toBeGreaterThanOrEqual(model.range.start);
      expect(row.bar.end).toBeLessThanOrEqual(model.range.end);
    }
  });
});

const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe("abandoned operations", () => {
  const operations: OperationJson[] = [
    { Id: "1", Type: "CONTEXT", SubType: "Map", Name: "records", StartTimestamp: at(1), EndTimestamp: at(5), Status: "SUCCEEDED" },
    { Id: "1-1", ParentId: "1", Type: "CONTEXT", SubType: "MapIteration", StartTimestamp: at(1), EndTimestamp: at(4), Status: "FAILED" },
    { Id: "1-1-1", ParentId: "1-1", Type: "WAIT", Name: "slow-io", StartTimestamp: at(2), Status: "STARTED" },
    { Id: "2", Type: "STEP", Name: "last", StartTimestamp: at(6), Status: "STARTED" },
  ];

  it("a STARTED operation under an ended parent is abandoned and stops where the parent ended, even while the execution runs", () => {
    const model = buildTimeline(viewWith("RUNNING", operations));
    const wait = model.byId.get("1-1-1");
    expect([wait?.abandoned, wait?.running, wait?.bar.end]).toEqual([true, false, Date.parse(at(4))]);
    const step = model.byId.get("2");
    expect([step?.abandoned, step?.running, step?.bar.end]).toEqual([false, true, Date.parse(at(20))]);
    expect(step?.attempts.map((a) => a.outcome)).toEqual(["RUNNING"]);
  });

  it("a STARTED operation of an ended execution is abandoned and ends with it", () => {
    const model = buildTimeline(viewWith("FAILED", operations));
    const step = model.byId.get("2");
    expect([step?.abandoned, step?.running, step?.bar.end]).toEqual([true, false, Date.parse(at(10))]);
    expect(step?.attempts.map((a) => a.outcome)).toEqual(["ABANDONED"]);
  });
});

describe("batch items from the batch's summary", () => {
  const summary = (items: string): string =>
    JSON.stringify({ type: "BatchSummary", completionReason: "FAILURE_TOLERANCE_EXCEEDED", items, successCount: 1, failureCount: 1, totalCount: 2 });
  const operations: OperationJson[] = [
    { Id: "1", Type: "CONTEXT", SubType: "Map", Name: "records", StartTimestamp: at(1), EndTimestamp: at(5), Status: "SUCCEEDED", ContextDetails: { Result: summary("ST-K") } },
    { Id: "1-1", ParentId: "1", Type: "CONTEXT", SubType: "MapIteration", StartTimestamp: at(1), EndTimestamp: at(2), Status: "SUCCEEDED" },
    { Id: "1-2", ParentId: "1", Type: "CONTEXT", SubType: "MapIteration", StartTimestamp: at(1), EndTimestamp: at(4), Status: "FAILED" },
  ];

  it("draws a timed-out item as TIMED_OUT and gives items that never ran a SKIPPED row, in item order", () => {
    const model = buildTimeline(viewWith("SUCCEEDED", operations));
    expect(model.byId.get("1")?.children.map((row) => [row.op.Id, rowStatus(row), row.synthetic])).toEqual([
      ["1-1", "SUCCEEDED", false],
      ["1-2", "TIMED_OUT", false],
      ["1-3", "SKIPPED", true],
      ["1-4", "SKIPPED", true],
    ]);
    expect(model.byId.get("1-2")?.op.Status).toBe("FAILED");
    expect(model.byId.get("1-4")?.op.Name).toBe("item 3 (skipped)");
    // The count is of operations, not of rows.
    expect(model.count).toBe(3);
  });

  it("ignores a batch result that is not a summary (a custom serdes)", () => {
    const custom = operations.map((op) => (op.Id === "1" ? { ...op, ContextDetails: { Result: '{"items":"TTTT"}' } } : op));
    const model = buildTimeline(viewWith("SUCCEEDED", custom));
    expect(model.byId.get("1")?.children.map((row) => rowStatus(row))).toEqual(["SUCCEEDED", "FAILED"]);
  });
});

describe("large batches", () => {
  it(`start collapsed past ${COLLAPSE_CHILDREN_OVER} children, so a 10 000-item map is one row until opened`, () => {
    const items: OperationJson[] = [{ Id: "1", Type: "CONTEXT", SubType: "Map", StartTimestamp: at(0), EndTimestamp: at(9), Status: "SUCCEEDED" }];
    for (let i = 1; i <= 10_000; i++) {
      items.push({ Id: `1-${i}`, ParentId: "1", Type: "STEP", StartTimestamp: at(1), EndTimestamp: at(2), Status: "SUCCEEDED" });
    }
    items.push({ Id: "2", Type: "CONTEXT", SubType: "Parallel", StartTimestamp: at(0), EndTimestamp: at(9), Status: "SUCCEEDED" });
    items.push({ Id: "2-1", ParentId: "2", Type: "STEP", StartTimestamp: at(0), EndTimestamp: at(9), Status: "SUCCEEDED" });
    const model = buildTimeline(viewWith("SUCCEEDED", items));
    expect(model.count).toBe(10_003);
    const collapsed = defaultCollapsed(model);
    expect([...collapsed]).toEqual(["1"]);
    expect(visibleRows(model, collapsed).map((row) => row.op.Id)).toEqual(["1", "2", "2-1"]);
    expect(visibleRows(model, new Set())).toHaveLength(10_003);
    // Ordered numerically, as the CLI's tree: 1-2 before 1-10.
    expect(model.byId.get("1")?.children.slice(0, 3).map((row) => row.op.Id)).toEqual(["1-1", "1-2", "1-3"]);
    expect(model.byId.get("1")?.children[9]?.op.Id).toBe("1-10");
  });
});

describe("the history sent for a large execution", () => {
  it("keeps the execution's events and every event of a step that retried, and drops a first-time success's", () => {
    const full = view.history;
    expect(view.historyComplete).toBe(true);
    expect(view.historyEventCount).toBe(full.length);
    const trimmed = timelineEvents(view.operations as unknown as Operation[], full as unknown as HistoryEvent[]);
    expect(new Set(trimmed.map((e) => e.Id ?? "-"))).toEqual(new Set(["-", "0", "1"]));
    expect(trimmed.filter((e) => e.Id === "1")).toHaveLength(6);
    // Drawn from the trimmed history, the retried step still has its attempts and delays.
    const row = buildTimeline({ ...view, history: trimmed as unknown as ExecutionView["history"], historyComplete: false }).byId.get("1");
    expect([row?.attempts.length, row?.retryDelays.length]).toEqual([3, 2]);
    const plain = buildTimeline({ ...view, history: trimmed as unknown as ExecutionView["history"], historyComplete: false }).byId.get("3-1-1");
    expect(plain?.attempts.map((a) => [a.number, a.outcome])).toEqual([[1, "SUCCEEDED"]]);
  });
});
