import { withDurableExecution, type SqsBatchResponse } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { inMemoryLedger, type Ledger } from "./ledger.js";
import { createLedgerConsumer, sqsEvent } from "./workflow.js";

const runnerFor = (ledger: Ledger) =>
  new LocalDurableTestRunner<SqsBatchResponse>({ handlerFunction: withDurableExecution(createLedgerConsumer(ledger)), skipTime: true });

describe("SQS ledger consumer (partial-batch response)", () => {
  it("acknowledges what was applied and reports only the failed records (standard queue)", async () => {
    const { ledger, balances, applied } = inMemoryLedger(["acct-frozen"]);
    const runner = runnerFor(ledger);
    const batch = runner.getOperation("sqs-batch");
    const result = await runner.run({
      payload: sqsEvent([
        { id: "m1", account: "acct-1", amountCents: 500 },
        { id: "m2", account: "acct-frozen", amountCents: 100 },
        { id: "m3", account: "acct-1", amountCents: -200 },
        { id: "m4", account: "acct-2", amountCents: 50 },
      ]),
    });
    expect(result.getResult()).toEqual({ batchItemFailures: [{ itemIdentifier: "m2" }] });
    expect(Object.fromEntries(balances)).toEqual({ "acct-1": 300, "acct-2": 50 });
    expect([...applied.values()]).toEqual([1, 1, 1]);
    // One item per record, named by its messageId, each beside the WAIT that holds its deadline.
    const children = batch.getChildOperations() ?? [];
    expect(children.filter((op) => op.getType() === "CONTEXT").map((op) => op.getName())).toEqual(["m1", "m2", "m3", "m4"]);
    expect(children.filter((op) => op.getType() === "WAIT").map((op) => [op.getName(), op.getStatus()])).toEqual(
      Array(4).fill(["itemTimeout", "CANCELLED"]),
    );
  });

  it("on a FIFO queue, keeps each group in order and reports a failed record's later group-mates", async () => {
    const { ledger, applied } = inMemoryLedger();
    const order: string[] = [];
    const tracking: Ledger = {
      apply: async (entry, messageId) => {
        order.push(messageId);
        if (messageId === "g1-b") throw new Error("account locked");
        return ledger.apply(entry, messageId);
      },
    };
    const result = await runnerFor(tracking).run({
      payload: sqsEvent(
        [
          { id: "g1-a", group: "g1", account: "acct-1", amountCents: 1 },
          { id: "g2-a", group: "g2", account: "acct-2", amountCents: 1 },
          { id: "g1-b", group: "g1", account: "acct-1", amountCents: 1 },
          { id: "g1-c", group: "g1", account: "acct-1", amountCents: 1 },
          { id: "g2-b", group: "g2", account: "acct-2", amountCents: 1 },
        ],
        "ledger.fifo",
      ),
    });
    // g1-c never ran: after g1-b failed it must be redelivered after g1-b, not applied before it.
    expect(result.getResult()).toEqual({ batchItemFailures: [{ itemIdentifier: "g1-b" }, { itemIdentifier: "g1-c" }] });
    expect(order.filter((id) => id.startsWith("g1"))).toEqual(["g1-a", "g1-b"]);
    expect(order.filter((id) => id.startsWith("g2"))).toEqual(["g2-a", "g2-b"]);
    expect([...applied.keys()].sort()).toEqual(["g1-a", "g2-a", "g2-b"]);
  });

  it("resumes after a crash mid-batch without applying any record twice", async () => {
    const { ledger, applied, balances } = inMemoryLedger();
    const result = await runnerFor(ledger).run({
      payload: sqsEvent(Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, account: `acct-${i % 3}`, amountCents: 10 }))),
      faults: {
        // The process dies right after the 7th record's result is stored.
        crashWhen: ({ phase, updates }) =>
          phase === "after" && updates.some((u) => u.Type === "STEP" && u.Action === "SUCCEED" && u.ParentId === "1-7"),
      },
    });
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getResult()).toEqual({ batchItemFailures: [] });
    expect(applied.size).toBe(12);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(Object.fromEntries(balances)).toEqual({ "acct-0": 40, "acct-1": 40, "acct-2": 40 });
  });

  it("rejects an event that is not an SQS batch before processing anything", async () => {
    const { ledger, applied } = inMemoryLedger();
    const result = await runnerFor(ledger).run({ payload: { Records: [{ body: "{}" }] } });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe("processSqsBatch: record 0 has no messageId; pass SQS records as Lambda delivers them.");
    expect(applied.size).toBe(0);
  });
});
