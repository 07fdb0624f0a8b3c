// Settings are checked where they are given, before any request: a value read from an unset
// environment variable (NaN, undefined, a duration where a time belongs) fails there, naming the
// option, instead of retrying for ever, never backing off, or doing nothing on every run.
import { withDurableExecution } from "@cairn/sdk";
import { describe, expect, it, vi } from "vitest";
import { DynamoDbCheckpointStore } from "./dynamodb-store.js";
import { DynamoDbFailedItemWriter } from "./failed-item-writer.js";
import { DynamoDbProgressBoard } from "./progress-board.js";
import { DEFAULT_RETRY_POLICY, retryPolicyOf } from "./retry.js";
import { createCairnTable } from "./table.js";
import { createWorker } from "./worker.js";

/** A client that fails the test if any request is sent: validation must come first. */
const noRequests = {
  send: () => {
    throw new Error("a request was sent before the settings were checked");
  },
};
const table = { client: noRequests as never, tableName: "cairn-settings" };
const handlers = { a: withDurableExecution(async () => 1) };

describe("retry policies", () => {
  it("fills fields left out or undefined with the defaults", () => {
    expect(retryPolicyOf("r", undefined)).toEqual(DEFAULT_RETRY_POLICY);
    expect(retryPolicyOf("r", { baseDelayMs: 1 })).toEqual({ ...DEFAULT_RETRY_POLICY, baseDelayMs: 1 });
    expect(retryPolicyOf("r", { maxAttempts: undefined, maxDelayMs: 0 } as never)).toEqual({ ...DEFAULT_RETRY_POLICY, maxDelayMs: 0 });
  });

  it.each([
    [{ maxAttempts: Number.NaN }, /r\.maxAttempts must be a positive integer, got NaN/],
    [{ maxAttempts: 0 }, /r\.maxAttempts must be a positive integer, got 0/],
    [{ maxAttempts: 2.5 }, /r\.maxAttempts/],
    [{ baseDelayMs: Number.NaN }, /r\.baseDelayMs must be a number of milliseconds >= 0, got NaN/],
    [{ maxDelayMs: -1 }, /r\.maxDelayMs must be a number of milliseconds >= 0, got -1/],
    [{ maxDelayMs: Number.POSITIVE_INFINITY }, /r\.maxDelayMs/],
    // A string is quoted, so "25" from an environment variable does not read as the number.
    [{ baseDelayMs: "25" }, /r\.baseDelayMs must be a number of milliseconds >= 0, got "25"\./],
    [{ maxAttempts: "3" }, /r\.maxAttempts must be a positive integer, got "3"\./],
  ])("refuses %j", (policy, message) => {
    expect(() => retryPolicyOf("r", policy as never)).toThrow(message);
  });

  it("shows a worker's count quoted when it is a string", () => {
    expect(() => createWorker({ table, handlers, concurrency: "8" as never })).toThrow(/createWorker: concurrency must be a positive integer, got "8"$/);
  });

  it("is checked by every constructor that takes one, naming where it was given", () => {
    const bad = { retry: { maxAttempts: Number.NaN } };
    expect(() => new DynamoDbCheckpointStore(table, bad)).toThrow(/DynamoDbCheckpointStore: retry\.maxAttempts/);
    expect(() => createWorker({ table, handlers, store: bad })).toThrow(/createWorker: store\.retry\.maxAttempts/);
    expect(() => new DynamoDbProgressBoard({ table, retry: bad.retry as never })).toThrow(/DynamoDbProgressBoard: retry\.maxAttempts/);
    expect(() => new DynamoDbFailedItemWriter({ table, retry: bad.retry as never })).toThrow(/DynamoDbFailedItemWriter: retry\.maxAttempts/);
    // A partial policy is completed there too, not only in the store.
    expect(() => new DynamoDbProgressBoard({ table, retry: { maxAttempts: 3 } as never })).not.toThrow();
  });
});

describe("the store's invocation lease", () => {
  it.each([Number.POSITIVE_INFINITY, 0, 1.5, Number.NaN])("refuses %d", (invocationLeaseMs) => {
    expect(() => new DynamoDbCheckpointStore(table, { invocationLeaseMs })).toThrow(/invocationLeaseMs must be a positive integer/);
  });

  it("quotes a string it refuses", () => {
    expect(() => new DynamoDbCheckpointStore(table, { invocationLeaseMs: "30000" as never })).toThrow(/invocationLeaseMs must be a positive integer, got "30000"$/);
  });
});

describe("runOnce's deadline", () => {
  it("refuses NaN and a duration before sending anything", async () => {
    const worker = createWorker({ table, handlers });
    await expect(worker.runOnce({ deadline: Number.NaN })).rejects.toThrow(/runOnce: deadline must be a time in epoch milliseconds/);
    await expect(worker.runOnce({ deadline: 900_000 })).rejects.toThrow(/looks like a duration: pass Date\.now\(\) \+ 900000/);
  });

  it("takes a time that has passed: nothing is claimed, nothing is sent", async () => {
    const worker = createWorker({ table, handlers });
    await expect(worker.runOnce({ deadline: Date.now() - 1 })).resolves.toEqual({ handled: 0 });
  });
});

describe("createCairnTable's wait", () => {
  it.each([Number.NaN, 1, 0, -5, Number.POSITIVE_INFINITY])("refuses maxWaitSeconds %d before creating anything", async (maxWaitSeconds) => {
    await expect(createCairnTable(noRequests as never, "cairn-settings", { maxWaitSeconds })).rejects.toThrow(
      /createCairnTable: maxWaitSeconds must be a number of seconds >= 2, got /,
    );
  });
});

describe("the worker's lease renewal", () => {
  it("warns when renewals come no sooner than the lease runs out, and not otherwise", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      createWorker({ table, handlers, leaseMs: 30_000 });
      createWorker({ table, handlers, leaseMs: 30_000, renewEveryMs: 29_999 });
      expect(warn).not.toHaveBeenCalled();
      createWorker({ table, handlers, leaseMs: 30_000, renewEveryMs: 30_000 });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]).toEqual([expect.stringMatching(/^createWorker: renewEveryMs \(30000\) is not below leaseMs \(30000\)/), "CairnWorkerWarning"]);
    } finally {
      warn.mockRestore();
    }
  });
});

