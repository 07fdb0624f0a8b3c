import { describe, expect, it } from "vitest";
import type { CheckpointedOperation } from "./checkpointed-operations.js";
import { OperationIndex } from "./operation-index.js";

const op = (Id: string, Status: CheckpointedOperation["Status"] = "SUCCEEDED"): CheckpointedOperation => ({ Id, Type: "STEP", Status });

describe("OperationIndex", () => {
  // Positional ids, ids that only look positional, and ids that are not.
  const ids = ["0", "1", "2", "10", "3-1", "31-1", "3-2", "3-2-1", "3-1-1", "01", "3-01", "-5", "1-", "h0123456789abcdef0123456789abcdef", "h0123456789abcdef0123456789abcdef-1", "_cairn-yield-1", "1-99999999", "0-1", "7-0", "7-1-x", "7-1-x-2", "1--2", "a-b-1", "99999999", "99999999-1", ""];

  it("finds every id it was given and no other, as a Map would", () => {
    const index = new OperationIndex();
    const map = new Map<string, CheckpointedOperation>();
    for (const id of ids) {
      index.set(id, op(id));
      map.set(id, op(id));
    }
    // Looked up in an order that moves between contexts, as concurrent branches do.
    for (const id of [...ids, "4", "3-3", "2-1", "001", "h", "3", "31", "3-1", "31-1", "3-2-1", "3-1", "1", "7", "7-1", "7-x", "a-b", "a", "-", "0-2", "h0123456789abcdef0123456789abcdef-1-1"]) {
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

  it("counts each operation for the context its id extends, or for its ParentId when the id has one part", () => {
    const index = new OperationIndex();
    const counted = [
      { Id: "1" },
      { Id: "2" },
      { Id: "2-1" },
      { Id: "2-2" },
      { Id: "2-2-1" },
      { Id: "3", ParentId: "2" },
      { Id: "h0123456789abcdef0123456789abcdef", ParentId: "2-2" },
      { Id: "h0123456789abcdef0123456789abcdef-1" },
      { Id: "h0123456789abcdef0123456789abcdef-2" },
      { Id: "a-b-1" },
      { Id: "3-01" },
      { Id: "-5", ParentId: "x" },
      { Id: "4", ParentId: "" },
    ];
    for (const op of counted) index.countChild(op);
    const expected: Record<string, number> = {
      "": 3,
      "2": 3,
      "2-2": 2,
      "2-1": 0,
      "h0123456789abcdef0123456789abcdef": 2,
      "a-b": 1,
      "3": 1,
      x: 1,
      "9": 0,
      "2-9": 0,
      "q-r": 0,
    };
    for (const [context, count] of Object.entries(expected)) expect(index.childCount(context), context).toBe(count);
    expect(index.childCount(undefined)).toBe(3);
    // Counting made contexts of operations held already; they are still found, and new ones fit in.
    index.set("2", op("2"));
    index.set("2-2-2", op("2-2-2"));
    expect(index.get("2")?.Id).toBe("2");
    expect(index.get("2-2-2")?.Id).toBe("2-2-2");
    expect(index.get("2-2")).toBeUndefined();
    expect(index.childCount("2-2")).toBe(2);
  });

  it("keeps an operation found when children arrive after it", () => {
    const index = new OperationIndex();
    for (const id of ["5", "5-1", "5-1-1", "0", "0-1"]) {
      index.set(id, op(id));
      index.countChild({ Id: id });
    }
    expect(["5", "5-1", "5-1-1", "0", "0-1"].map((id) => index.get(id)?.Id)).toEqual(["5", "5-1", "5-1-1", "0", "0-1"]);
    expect([...index.values()].map((o) => o.Id)).toEqual(["5", "5-1", "5-1-1", "0", "0-1"]);
    expect([index.childCount("5"), index.childCount("5-1"), index.childCount("0"), index.childCount("")]).toEqual([1, 1, 1, 2]);
  });
});
