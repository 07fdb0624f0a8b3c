// How a large execution is embedded in an exported page: the timeline's events in the view, the
// whole history in its own element, both readable back exactly.
import { describe, expect, it } from "vitest";
import { uiAssets } from "./assets.js";
import { FULL_HISTORY_MAX_EVENTS } from "./data-source.js";
import { EMBEDDED_DATA_ID, EMBEDDED_HISTORY_ID, exportHtml } from "./html-export.js";
import type { ExecutionView, HistoryEventJson, OperationJson } from "./view-types.js";

function viewOf(steps: number): ExecutionView {
  const t = "2026-01-01T00:00:00.000Z";
  const operations: OperationJson[] = [];
  const history: HistoryEventJson[] = [{ EventType: "ExecutionStarted", EventId: 1, Id: "0", EventTimestamp: t }];
  for (let i = 1; i <= steps; i++) {
    const retried = i === 1;
    operations.push({ Id: String(i), Type: "STEP", Name: `s</script>${i}`, StartTimestamp: t, EndTimestamp: t, Status: "SUCCEEDED", StepDetails: { Attempt: retried ? 2 : 1 } });
    history.push({ EventType: "StepStarted", EventId: history.length + 1, Id: String(i), EventTimestamp: t });
    history.push({ EventType: "StepSucceeded", EventId: history.length + 1, Id: String(i), EventTimestamp: t });
  }
  return {
    id: "X", executionArn: "arn:x", executionName: "x", status: "SUCCEEDED", startTimestamp: t, endTimestamp: t, invocationCount: 1,
    operations, history, historyComplete: true, historyEventCount: history.length, invocations: [], callbacks: [], treeLines: [], now: t,
  };
}

function embedded<T>(html: string, id: string): T | undefined {
  const text = new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`).exec(html)?.[1];
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

describe("exportHtml", () => {
  it("embeds a small execution whole, in one element", () => {
    const view = viewOf(10);
    const html = exportHtml(view, uiAssets());
    expect(embedded<ExecutionView>(html, EMBEDDED_DATA_ID)).toEqual(view);
    expect(embedded(html, EMBEDDED_HISTORY_ID)).toBeUndefined();
  });

  it(`past ${FULL_HISTORY_MAX_EVENTS} events, embeds the timeline's events in the view and the whole history beside it`, () => {
    const view = viewOf(FULL_HISTORY_MAX_EVENTS / 2 + 1);
    const html = exportHtml(view, uiAssets());
    const shown = embedded<ExecutionView>(html, EMBEDDED_DATA_ID);
    expect(shown?.historyComplete).toBe(false);
    expect(shown?.operations).toEqual(view.operations);
    // The execution's event and the retried step's two; not the first-time successes'.
    expect(shown?.history.map((e) => e.Id)).toEqual(["0", "1", "1"]);
    expect(embedded(html, EMBEDDED_HISTORY_ID)).toEqual(view.history);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});
