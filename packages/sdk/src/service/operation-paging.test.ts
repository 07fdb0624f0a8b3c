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
