import { describe, expect, it } from "vitest";
import { buildOperationTree, compareOperationIds, flattenOperationTree, renderOperationTree } from "./operation-tree.js";
import type { Operation } from "@cairn/sdk";

const t0 = new Date("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function op(partial: Partial<Operation> & Pick<Operation, "Id" | "Type" | "Status">): Operation {
  return { StartTimestamp: t0, ...partial };
}

const operations: Operation[] = [
  op({ Id: "0", Type: "EXECUTION", Status: "STARTED" }),
  op({ Id: "10", Type: "STEP", SubType: "Step", Name: "late", Status: "STARTED" }),
  op({ Id: "3", Type: "CONTEXT", SubType: "Parallel", Name: "fan", Status: "SUCCEEDED", EndTimestamp: at(30) }),
  op({ Id: "3-2", ParentId: "3", Type: "CONTEXT", SubType: "ParallelBranch", Status: "SUCCEEDED", EndTimestamp: at(20) }),
  op({ Id: "3-1", ParentId: "3", Type: "CONTEXT", SubType: "ParallelBranch", Status: "SUCCEEDED", EndTimestamp: at(10) }),
  op({
    Id: "3-1-1",
    ParentId: "3-1",
    Type: "STEP",
    SubType: "Step",
    Name: "charge",
    Status: "SUCCEEDED",
    StepDetails: { Attempt: 3 },
    EndTimestamp: at(12),
  }),
  op({ Id: "2", Type: "WAIT", SubType: "Wait", Name: "cool-down", Status: "SUCCEEDED", EndTimestamp: at(5000) }),
  op({ Id: "1", Type: "STEP", SubType: "Step", Name: "retrying", Status: "PENDING", StepDetails: { Attempt: 1 } }),
  op({ Id: "9-1", ParentId: "9", Type: "STEP", SubType: "Step", Name: "orphan", Status: "FAILED", EndTimestamp: at(1) }),
];

describe("operation tree", () => {
  it("orders positional ids numerically, segment by segment", () => {
    expect(["10", "2", "3-10", "3-2", "3"].sort(compareOperationIds)).toEqual(["2", "3", "3-2", "3-10", "10"]);
  });

  it("nests by ParentId, drops the execution operation and keeps orphans as roots", () => {
    const flat = flattenOperationTree(buildOperationTree(operations)).map((n) => `${n.depth}:${n.operation.Id}`);
    expect(flat).toEqual(["0:1", "0:2", "0:3", "1:3-1", "2:3-1-1", "1:3-2", "0:9-1", "0:10"]);
  });

  it("renders name by depth, id, type/sub-type, status, attempt and duration", () => {
    const lines = renderOperationTree(operations, { now: at(2000) });
    expect(lines).toEqual([
      "  OPERATION      ID     TYPE                    STATUS     ATTEMPT  DURATION",
      "  ◷ retrying     1      STEP/Step               PENDING    2        2.00s+",
      "  ✓ cool-down    2      WAIT/Wait               SUCCEEDED           5.00s",
      "  ✓ fan          3      CONTEXT/Parallel        SUCCEEDED           30ms",
      "    ✓ (unnamed)  3-1    CONTEXT/ParallelBranch  SUCCEEDED           10ms",
      "      ✓ charge   3-1-1  STEP/Step               SUCCEEDED  3        12ms",
      "    ✓ (unnamed)  3-2    CONTEXT/ParallelBranch  SUCCEEDED           20ms",
      "  ✗ orphan       9-1    STEP/Step               FAILED     1        1ms",
      "  … late         10     STEP/Step               STARTED    1        2.00s+",
    ]);
  });

  it("says so when there are no operations", () => {
    expect(renderOperationTree([operations[0] as Operation])).toEqual(["  (no operations)"]);
  });
});
