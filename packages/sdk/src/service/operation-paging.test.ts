import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "./errors.js";
import { EXECUTION_OPERATION_ID } from "./execution-record.js";
import { DEFAULT_PAGE_SIZE, pageOperations } from "./operation-paging.js";
import { CoreHarness, step } from "./test-support/core-fixtures.js";

describe("pageOperations", () => {
  const h = new CoreHarness();
  h.begin();
  h.checkpoint(Array.from({ length: 2499 }, (_, i) => step(String(i + 1), "START")));

  it("pages every operation once, in insertion order, EXECUTION first", () => {
    const ids: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = pageOperations(h.record, marker);
      ids.push(...page.operations.map((op) => op.Id));
      marker = page.nextMarker;
      pages++;
    } while (marker);
    expect(pages).toBe(3);
    expect(ids).toEqual([EXECUTION_OPERATION_ID, ...Array.from({ length: 2499 }, (_, i) => String(i + 1))]);
    expect(pageOperations(h.record).operations).toHaveLength(DEFAULT_PAGE_SIZE);
  });

  it("honours MaxItems and ends without a marker", () => {
    const page = pageOperations(h.record, undefined, 2500);
    expect(page.operations).toHaveLength(2500);
    expect(page.nextMarker).toBeUndefined();
  });

  it("rejects bad markers and sizes", () => {
    expect(() => pageOperations(h.record, "not-a-marker")).toThrow(InvalidRequestError);
    expect(() => pageOperations(h.record, undefined, 0)).toThrow(InvalidRequestError);
  });

  it("returns copies", () => {
    const [first] = pageOperations(h.record, undefined, 1).operations;
    first!.Status = "FAILED";
    first!.StartTimestamp.setTime(0);
    expect(h.op(EXECUTION_OPERATION_ID)?.Status).toBe("STARTED");
    expect(h.op(EXECUTION_OPERATION_ID)?.StartTimestamp.getTime()).not.toBe(0);
  });
});

describe("pageOperations while the record changes between pages", () => {
  it("hands out each operation's version of the moment, and operations added meanwhile, in order", () => {
    const h = new CoreHarness();
    h.begin();
    h.checkpoint(Array.from({ length: 30 }, (_, i) => step(String(i + 1), "START")));
    const first = pageOperations(h.record, undefined, 10);
    // Between pages: an operation of a later page changes, and new ones are added.
    h.checkpoint([step("25", "SUCCEED"), step("31", "START"), step("32", "START")]);
    const pages = [first];
    let marker = first.nextMarker;
    while (marker) {
      const page = pageOperations(h.record, marker, 10);
      pages.push(page);
      marker = page.nextMarker;
    }
    const ops = pages.flatMap((page) => page.operations);
    expect(ops.map((op) => op.Id)).toEqual([EXECUTION_OPERATION_ID, ...Array.from({ length: 32 }, (_, i) => String(i + 1))]);
    expect(ops.find((op) => op.Id === "25")?.Status).toBe("SUCCEEDED");
    expect(ops.find((op) => op.Id === "24")?.Status).toBe("STARTED");
  });

  it("pages the same way when readers take turns, or one reads a page again", () => {
    const h = new CoreHarness();
    h.begin();
    h.checkpoint(Array.from({ length: 25 }, (_, i) => step(String(i + 1), "START")));
    const idsOf = (page: { operations: { Id: string }[] }): string[] => page.operations.map((op) => op.Id);
    const a1 = pageOperations(h.record, undefined, 10);
    const b1 = pageOperations(h.record, undefined, 7);
    const a2 = pageOperations(h.record, a1.nextMarker, 10);
    const b2 = pageOperations(h.record, b1.nextMarker, 7);
    const a2Again = pageOperations(h.record, a1.nextMarker, 10);
    const a3 = pageOperations(h.record, a2.nextMarker, 10);
    const expected = [EXECUTION_OPERATION_ID, ...Array.from({ length: 25 }, (_, i) => String(i + 1))];
    expect([...idsOf(a1), ...idsOf(a2), ...idsOf(a3)]).toEqual(expected);
    expect(idsOf(a2Again)).toEqual(idsOf(a2));
    expect([...idsOf(b1), ...idsOf(b2)]).toEqual(expected.slice(0, 14));
    expect(a3.nextMarker).toBeUndefined();
  });
});
