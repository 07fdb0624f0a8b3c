import { describe, expect, it } from "vitest";
import { ChildContextError, StepError } from "../../errors/durable-errors.js";
import { retryPresets } from "../../retry/retry-strategy.js";
import { runLocal } from "../../test-support/run-local.js";
import { BatchItemStatus, type BatchResult } from "../../types/batch.js";
import type { Serdes } from "../../types/serdes.js";
import { BatchResultImpl } from "./batch-result.js";
import { restoreBatchResult } from "./restore-batch-result.js";

function sampleResult(): BatchResultImpl<{ n: number }> {
  const cause = new StepError("bad 2", Object.assign(new Error("bad 2"), { name: "TypeError" }));
  return new BatchResultImpl(
    [
      { result: { n: 1 }, index: 0, status: BatchItemStatus.SUCCEEDED },
      { error: new ChildContextError("bad 2", cause), index: 1, status: BatchItemStatus.FAILED },
      { index: 2, status: BatchItemStatus.STARTED },
    ],
    "FAILURE_TOLERANCE_EXCEEDED",
  );
}

describe("BatchResult JSON", () => {
  it("is the AWS SDK's text: all + completionReason, items as { result | error, index, status }", () => {
    // What the AWS SDK 2.4 prints for the same result (captured from its runner).
    expect(JSON.stringify(sampleResult())).toBe(
      '{"all":[{"result":{"n":1},"index":0,"status":"SUCCEEDED"},' +
        '{"error":{"cause":{"cause":{"name":"TypeError"},"name":"StepError","errorType":"StepError"},"name":"ChildContextError","errorType":"ChildContextError"},"index":1,"status":"FAILED"},' +
        '{"index":2,"status":"STARTED"}],"completionReason":"FAILURE_TOLERANCE_EXCEEDED"}',
    );
  });

  it("writes no derived member (counts, status) that a ported toEqual would trip on", () => {
    expect(Object.keys(JSON.parse(JSON.stringify(sampleResult())) as object)).toEqual(["all", "completionReason"]);
  });
});

describe("restoreBatchResult", () => {
  it("turns the JSON shape back into a BatchResult with every member working", () => {
    const restored = restoreBatchResult<{ n: number }>(JSON.parse(JSON.stringify(sampleResult())));
    expect(restored).toBeInstanceOf(BatchResultImpl);
    expect([restored.successCount, restored.failureCount, restored.startedCount, restored.totalCount]).toEqual([1, 1, 1, 3]);
    expect(restored.status).toBe(BatchItemStatus.FAILED);
    expect(restored.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(restored.getResults()).toEqual([{ n: 1 }]);
    const [error] = restored.getErrors();
    expect(error).toBeInstanceOf(ChildContextError);
    expect(error?.cause).toBeInstanceOf(StepError);
    expect((error?.cause?.cause as Error | undefined)?.name).toBe("TypeError");
    expect(() => restored.throwIfError()).toThrow(ChildContextError);
    expect(JSON.stringify(restored)).toBe(JSON.stringify(sampleResult()));
  });

  it("reads errors in the checkpoint form the AWS SDK's batch serdes writes (ErrorType, nested Cause)", () => {
    const restored = restoreBatchResult({
      all: [
        {
          error: { ErrorType: "ChildContextError", ErrorMessage: "bad 2", Cause: { ErrorType: "StepError", ErrorMessage: "bad 2", Cause: { ErrorType: "TypeError", ErrorMessage: "bad 2" } } },
          index: 0,
          status: "FAILED",
        },
      ],
      completionReason: "ALL_COMPLETED",
    });
    const error = restored.all[0]?.error;
    expect(error).toBeInstanceOf(ChildContextError);
    expect(error?.message).toBe("bad 2");
    expect(error?.cause).toBeInstanceOf(StepError);
    expect(error?.cause?.cause).toMatchObject({ name: "TypeError", message: "bad 2" });
  });

  it("wraps a plain error in a ChildContextError, as items' errors always are", () => {
    const restored = restoreBatchResult({ all: [{ error: new RangeError("out"), index: 0, status: "FAILED" }], completionReason: "ALL_COMPLETED" });
    expect(restored.all[0]?.error).toBeInstanceOf(ChildContextError);
    expect(restored.all[0]?.error?.cause).toBeInstanceOf(RangeError);
  });

  it("leaves a BatchResult and any other value alone", () => {
    const result = sampleResult();
    expect(restoreBatchResult(result)).toBe(result);
    expect(restoreBatchResult("summary only")).toBe("summary only");
    expect(restoreBatchResult({ items: [] })).toEqual({ items: [] });
  });
});

describe("a custom whole-result serdes on replay", () => {
  it("gets a full BatchResult back when its deserialize returns the plain JSON shape", async () => {
    const jsonSerdes: Serdes<BatchResult<number>> = {
      serialize: async (value) => JSON.stringify(value),
      deserialize: async (data) => (data === undefined ? undefined : (JSON.parse(data) as BatchResult<number>)),
    };
    const seen: unknown[] = [];
    const run = await runLocal(async (_event, ctx) => {
      const result = await ctx.map(
        "double",
        [1, 2, 3],
        async (child, n) => {
          if (n === 2) await child.step("reject", async () => Promise.reject(new RangeError("two")), { retryStrategy: retryPresets.noRetry });
          return n * 2;
        },
        { serdes: jsonSerdes, completionConfig: { toleratedFailureCount: 1 } },
      );
      seen.push({
        counts: [result.successCount, result.failureCount, result.totalCount],
        status: result.status,
        results: result.getResults(),
        errorType: result.getErrors()[0]?.errorType,
        json: JSON.stringify(result),
      });
      await ctx.wait({ seconds: 5 });
      return result;
    });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[0]).toMatchObject({ counts: [2, 1, 3], status: "FAILED", results: [2, 6], errorType: "ChildContextError" });
    expect(run.result).toEqual({
      all: [
        { result: 2, index: 0, status: "SUCCEEDED" },
        { error: expect.objectContaining({ errorType: "ChildContextError" }), index: 1, status: "FAILED" },
        { result: 6, index: 2, status: "SUCCEEDED" },
      ],
      completionReason: "ALL_COMPLETED",
    });
  });
});
