import type { ExecutionView, OperationJson } from "../view-types.js";

/** A hand-made execution view over `operations`: started 2026-01-01T00:00:00Z, ended 10 s later unless RUNNING. */
export function viewWith(status: ExecutionView["status"], operations: OperationJson[]): ExecutionView {
  return {
    id: "X",
    executionArn: "arn:x",
    executionName: "x",
    status,
    startTimestamp: "2026-01-01T00:00:00.000Z",
    endTimestamp: status === "RUNNING" ? undefined : "2026-01-01T00:00:10.000Z",
    invocationCount: 1,
    operations,
    history: [],
    historyComplete: true,
    historyEventCount: 0,
    invocations: [],
    callbacks: [],
    treeLines: [],
    now: "2026-01-01T00:00:20.000Z",
  };
}
