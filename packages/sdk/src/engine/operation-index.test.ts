import { describe, expect, it } from "vitest";
import type { CheckpointedOperation } from "./checkpointed-operations.js";
import { OperationIndex } from "./operation-index.js";

const op = (Id: string, Status: CheckpointedOperation["Status"] = "SUCCEEDED"): CheckpointedOperation => ({ Id, Type: "STEP", Status });

describe("OperationIndex", () => {
  // Positional ids, ids that only look positional, and ids that are not.
  const ids = ["0", "1", "2", "10", "3-1", "31-1", "3-2", "3-2-1", "3-1-1", "01", "3-01", "-5", "1-", "h0123456789abcdef0123456789abcdef", "h0123456789abcdef0123456789abcdef-1", "_cairn-yield-1", "1-99999999"];

  it("finds every id it was given and no other, as a Map would", () => {
    const index = new OperationIndex();
    const map = new Map<string, CheckpointedOperation>();
    for (const id of ids) {
      index.set(id, op(id));
      map.set(id, op(id));
    }
    // Looked up in an order that moves between contexts, as concurrent branches do.
    for (const id of [...ids, "4", "3-3", "2-1", "001", "h", "3", "31", "3-1", "31-1", "3-2-1", "3-1", "1"]) {
      expect(index.get(id), id).toEqual(map.get(id));
      expect(index.has(id), id).toBe(map.has(id));
    }
    expect(index.size).toBe(map.size);
  });

  it("lists values in first-insertion order, each id's newest version", () => {
    const index = new OperationIndex();
    for (const id of ["2", "1", "1-1", "h1", "0"]) index.set(id, op(id, "STARTED"));
    index.set("1", op("1", "SUCCEEDED"));
    index.set("h1", op("h1", "FAILED"));
    expect([...index.values()].map((o) => `${o.Id} ${o.Status}`)).toEqual(["2 STARTED", "1 SUCCEEDED", "1-1 STARTED", "h1 FAILED", "0 STARTED"]);
    expect(index.size).toBe(5);
  });

  it("keeps positions that arrive out of order and with gaps", () => {
    const index = new OperationIndex();
    for (const id of ["5-3", "5-1", "5-7"]) index.set(id, op(id));
    expect(["5-1", "5-2", "5-3", "5-7", "5-8"].map((id) => index.get(id)?.Id)).toEqual(["5-1", undefined, "5-3", "5-7", undefined]);
  });
});
