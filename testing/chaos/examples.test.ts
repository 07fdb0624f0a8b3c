// The examples built on the newer operations, crashed before and after every (or, for the long
// batch workloads, a sample of) checkpoint and inside every side-effecting body. Their services are
// wrapped to count calls in a ledger, and made as idempotent as a real deployment's would be (a
// job submitted under an idempotency key, a reading or message applied once per id) so that an
// at-least-once re-run does not change what the example computes.
import { withDurableExecution, type DurableExecutionHandler, type SqsBatchResponse, type StreamBatchResponse } from "@cairn/sdk";
import { WaitingOperationStatus } from "@cairn/testing";
import { afterAll, describe, expect, it } from "vitest";
import { inMemoryTable, type Row, type Table } from "../../examples/src/batch-writer/table.js";
import { createImportWorkflow } from "../../examples/src/batch-writer/workflow.js";
import { inMemoryDevices, type DeviceStore, type Reading } from "../../examples/src/device-stream/devices.js";
import { createStreamWorkflow } from "../../examples/src/device-stream/workflow.js";
import { createApprovalWorkflow, type ApprovalServices } from "../../examples/src/expense-approval/workflow.js";
import type { JobService } from "../../examples/src/job-polling/jobs.js";
import { createReportWorkflow } from "../../examples/src/job-polling/workflow.js";
import { StoreBusy, inMemoryTelemetry, type TelemetryStore } from "../../examples/src/kinesis-telemetry/telemetry.js";
import { createTelemetryConsumer, kinesisEvent } from "../../examples/src/kinesis-telemetry/workflow.js";
import { inMemoryLedger, type Ledger } from "../../examples/src/sqs-consumer/ledger.js";
import { createLedgerConsumer, sqsEvent } from "../../examples/src/sqs-consumer/workflow.js";
import { sweep, type ChaosWorld, type SweepReport, type SweepScenario } from "./crash-sweep.js";
import { SideEffectLedger } from "./side-effect-ledger.js";
import { storedLabels } from "./stored-labels.js";

const reports = new Map<string, SweepReport>();
afterAll(() => {
  console.log(`crash points per example:\n${[...reports].map(([name, r]) => `  ${name}: ${r.points} (${r.checkpoints} checkpoints)`).join("\n")}`);
});

async function sweepAndReport(scenario: SweepScenario): Promise<SweepReport> {
  const report = await sweep(scenario);
  reports.set(scenario.name, report);
  return report;
}

const durable = <TEvent, TResult>(handler: DurableExecutionHandler<TEvent, TResult>) => withDurableExecution(handler);

describe("interrupting expense-approval (waitForCallback, heartbeat and timeouts)", () => {
  const claim = { claimId: "c-7", employee: "ada", amountCents: 4200 };

  function approvalWorld(answer: "approve" | "reject" | "none") {
    return (): ChaosWorld => {
      const ledger = new SideEffectLedger({ storedLabel: storedLabels() });
      const asked: string[] = [];
      const services: ApprovalServices = {
        requestApproval: async (_claim, callbackId) => {
          ledger.call("submit:approval");
          asked.push(callbackId);
        },
        pay: async (c) => (ledger.call("pay"), { paymentId: `pay-${c.claimId}` }),
        escalate: async () => void ledger.call("escalate"),
      };
      return {
        handler: durable(createApprovalWorkflow(services)),
        ledger,
        drive:
          answer === "none"
            ? undefined
            : async (runner) => {
                const op = await runner.getOperation("approval").waitForData(WaitingOperationStatus.SUBMITTED);
                ledger.call("answer-sent");
                if (answer === "approve") await op.sendCallbackSuccess(JSON.stringify({ approver: "grace" }));
                else await op.sendCallbackFailure({ ErrorType: "Rejected", ErrorMessage: "receipt missing" });
              },
        verify: (result, where) => {
          // One callback, the only one the approver was ever told about (however often).
          const started = result.getHistoryEvents().filter((e) => e.EventType === "CallbackStarted");
          expect(started, where).toHaveLength(1);
          expect(new Set(asked), where).toEqual(new Set([started[0]?.CallbackStartedDetails?.CallbackId]));
        },
      };
    };
  }

  it.each([
    ["approve", { status: "PAID", claimId: "c-7", approver: "grace", paymentId: "pay-c-7" }, 12],
    ["reject", { status: "REJECTED", claimId: "c-7", reason: "receipt missing" }, 9],
    ["none", { status: "ESCALATED", claimId: "c-7", why: "approver went silent" }, 11],
  ] as const)("answer %s: same outcome after a crash at every checkpoint and inside every body", async (answer, expected, points) => {
    const report = await sweepAndReport({
      name: `expense-approval (${answer})`,
      payload: claim,
      world: approvalWorld(answer),
      exact: ["answer-sent"],
      unstored: ["answer-sent"],
      check: (run, _clean, where) => expect(run.result.getResult(), where).toEqual(expected),
    });
    expect(report.points).toBe(points);
  });
});

describe("interrupting job-polling (waitForCondition)", () => {
  /**
   * A job service whose job finishes with time: a status call sees the job as it is after the
   * number of polls stored so far (the waits between them are where its time passes), so a check
   * repeated after a crash sees what the lost one saw. Submission is idempotent per report.
   */
  function pollingWorld(): ChaosWorld {
    const ledger = new SideEffectLedger({
      storedLabel: storedLabels({ check: { prefix: "status", checkNumber: (state) => (state as { checks: number }).checks } }),
    });
    const storedPolls = (): number => {
      let n = 0;
      while (ledger.stored(`status@${n + 1}`)) n++;
      return n;
    };
    const jobs: JobService = {
      submit: async (input) => (ledger.call("submit-job"), { jobId: `job-${input.report}` }),
      status: async (jobId) => {
        const look = storedPolls() + 1;
        ledger.call(`status@${look}`);
        if (look === 1) return { state: "QUEUED" };
        if (look <= 3) return { state: "RUNNING" };
        return { state: "SUCCEEDED", outputUrl: `s3://reports/${jobId}.csv` };
      },
    };
    return { handler: durable(createReportWorkflow(jobs)), ledger };
  }

  it("polls on from the last stored check after a crash at every checkpoint and inside every check", async () => {
    const report = await sweepAndReport({
      name: "job-polling",
      payload: { report: "sales" },
      world: pollingWorld,
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toEqual({ status: "READY", jobId: "job-sales", outputUrl: "s3://reports/job-sales.csv", checks: 4 });
      },
    });
    // submit + 4 checks, before/after each, plus 5 bodies and a crash after each checkpoint.
    expect(report).toEqual({ checkpoints: 5, points: 16 });
  });
});

describe("interrupting device-stream (partitionKey)", () => {
  /** Readings of 3 devices, 4 each, interleaved; device 1's second reading is implausible. */
  const readings: Reading[] = [];
  for (let seq = 1; seq <= 4; seq++) {
    for (let d = 0; d < 3; d++) readings.push({ deviceId: `dev-${d}`, seq, celsius: d === 1 && seq === 2 ? 999 : 20 + d + seq });
  }

  function deviceWorld(): ChaosWorld {
    const ledger = new SideEffectLedger();
    const { store } = inMemoryDevices();
    // A re-delivered reading (same device and seq as the last applied) is answered as before.
    const last = new Map<string, { seq: number; answer: Awaited<ReturnType<DeviceStore["apply"]>> }>();
    const deduped: DeviceStore = {
      apply: async (reading) => {
        ledger.call(`apply:${reading.deviceId}#${reading.seq}`);
        const previous = last.get(reading.deviceId);
        if (previous?.seq === reading.seq) return previous.answer;
        const answer = await store.apply(reading);
        last.set(reading.deviceId, { seq: reading.seq, answer });
        return answer;
      },
    };
    return { handler: durable(createStreamWorkflow(deduped)), ledger };
  }

  it("keeps each device's order and never re-applies a stored reading, whatever the crash", async () => {
    const report = await sweepAndReport({
      name: "device-stream",
      payload: { readings },
      world: deviceWorld,
      unstored: ["apply:dev-1#2"],
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toEqual({
          applied: 9,
          failed: [{ deviceId: "dev-1", seq: 2, reason: "implausible reading 999 °C" }],
          heldBack: [
            { deviceId: "dev-1", seq: 3 },
            { deviceId: "dev-1", seq: 4 },
          ],
        });
        // Per device, calls never go back to an earlier reading (a repeat of the same one is allowed).
        const calls = run.world.ledger.callLog().map((label) => /^apply:(dev-\d)#(\d)$/.exec(label));
        for (const device of ["dev-0", "dev-1", "dev-2"]) {
          const seqs = calls.filter((m) => m?.[1] === device).map((m) => Number(m?.[2]));
          expect(seqs, `${where}: ${device}`).toEqual([...seqs].sort((a, b) => a - b));
        }
      },
    });
    expect(report.checkpoints).toBeGreaterThan(5);
  });
});

describe("interrupting batch-writer (mapBatches)", () => {
  const rows: Row[] = Array.from({ length: 60 }, (_, i) => ({ pk: `row-${i}`, value: i }));

  /**
   * The table throttles row-30 (chunk 1) until that chunk's retry was scheduled — throttling is
   * transient — so a chunk repeated after a crash meets the table as the lost attempt did.
   */
  function writerWorld(): ChaosWorld {
    const ledger = new SideEffectLedger({ storedLabel: storedLabels() });
    const { table } = inMemoryTable();
    const throttling: Table = {
      batchWrite: async (batch) => {
        const chunk = Math.floor(rows.findIndex((r) => r.pk === batch[0]?.pk) / 25);
        ledger.call(`batch-write:${chunk}`);
        const written = await table.batchWrite(batch);
        const throttled = batch.some((r) => r.pk === "row-30") && !ledger.stored("batch-write:1~retry");
        return throttled ? { unprocessed: batch.filter((r) => r.pk === "row-30") } : written;
      },
    };
    return { handler: durable(createImportWorkflow(throttling)), ledger };
  }

  it("writes every chunk, retries the throttled one as a unit, and re-writes no stored chunk, whatever the crash", async () => {
    const report = await sweepAndReport({
      name: "batch-writer",
      payload: { rows },
      world: writerWorld,
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toEqual({ written: 60, failed: [], chunks: 3 });
      },
    });
    expect(report.checkpoints).toBeGreaterThan(5);
  });
});

describe("interrupting sqs-consumer (processSqsBatch, FIFO, itemTimeout)", () => {
  const event = sqsEvent([
    { id: "a-1", group: "a", account: "acct-1", amountCents: 500 },
    { id: "b-1", group: "b", account: "acct-2", amountCents: 70 },
    { id: "a-2", group: "a", account: "acct-frozen", amountCents: 100 },
    { id: "c-1", group: "c", account: "acct-3", amountCents: 10 },
    { id: "a-3", group: "a", account: "acct-1", amountCents: -200 },
    { id: "b-2", group: "b", account: "acct-2", amountCents: 30 },
    { id: "c-2", group: "c", account: "acct-3", amountCents: 15 },
    { id: "b-3", group: "b", account: "acct-2", amountCents: 1 },
  ]);

  function consumerWorld(): ChaosWorld {
    const ledger = new SideEffectLedger();
    const real = inMemoryLedger(["acct-frozen"]);
    const seen = new Map<string, { balanceCents: number }>();
    // Applies each message once (by message id), as a consumer of an at-least-once queue must.
    const idempotent: Ledger = {
      apply: async (entry, messageId) => {
        ledger.call(`apply:${messageId}`);
        const before = seen.get(messageId);
        if (before) return before;
        const answer = await real.ledger.apply(entry, messageId);
        seen.set(messageId, answer);
        return answer;
      },
    };
    return {
      handler: durable(createLedgerConsumer(idempotent)),
      ledger,
      verify: (result, where) => {
        const response = result.getResult() as SqsBatchResponse;
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        // Every acknowledged message was applied exactly once; nothing reported was applied.
        for (const record of event.Records) {
          expect(real.applied.get(record.messageId) ?? 0, `${where}: ${record.messageId}`).toBe(failed.has(record.messageId) ? 0 : 1);
        }
      },
    };
  }

  it("reports the same partial batch, keeps each group's order, and re-applies no stored record, whatever the crash", async () => {
    const report = await sweepAndReport({
      name: "sqs-consumer",
      payload: event,
      world: consumerWorld,
      unstored: ["apply:a-2"],
      check: (run, _clean, where) => {
        expect(run.result.getResult(), where).toEqual({ batchItemFailures: [{ itemIdentifier: "a-2" }, { itemIdentifier: "a-3" }] });
        const calls = run.world.ledger.callLog();
        for (const group of ["a", "b", "c"]) {
          const inGroup = calls.filter((label) => label.startsWith(`apply:${group}-`)).map((label) => Number(label.split("-")[1]));
          expect(inGroup, `${where}: group ${group}`).toEqual([...inGroup].sort((x, y) => x - y));
        }
      },
    });
    expect(report.checkpoints).toBeGreaterThan(5);
  });
});

describe("interrupting kinesis-telemetry (processKinesisBatch, per-device order, retries)", () => {
  // Three devices, three readings each, as the shard delivers them. thermo-2's first reading meets a
  // busy store once (one retry); thermo-3's second is implausible, so its third is held back.
  const event = kinesisEvent([
    { deviceId: "thermo-1", celsius: 20 },
    { deviceId: "thermo-2", celsius: 30 },
    { deviceId: "thermo-3", celsius: 40 },
    { deviceId: "thermo-1", celsius: 21 },
    { deviceId: "thermo-2", celsius: 31 },
    { deviceId: "thermo-3", celsius: 999 },
    { deviceId: "thermo-1", celsius: 22 },
    { deviceId: "thermo-2", celsius: 32 },
    { deviceId: "thermo-3", celsius: 42 },
  ]);
  const seq = event.Records.map((r) => r.kinesis.sequenceNumber);
  const busyReading = seq[1] as string;
  const implausible = seq[5] as string;
  const heldBack = seq[8] as string;

  function telemetryWorld(): ChaosWorld {
    const ledger = new SideEffectLedger({ storedLabel: storedLabels() });
    const real = inMemoryTelemetry();
    const answers = new Map<string, Awaited<ReturnType<TelemetryStore["record"]>>>();
    const store: TelemetryStore = {
      record: async (reading, sequenceNumber) => {
        ledger.call(`record:${sequenceNumber}`);
        // Busy until its retry was scheduled, so an attempt repeated after a crash meets the
        // store as the lost one did.
        if (sequenceNumber === busyReading && !ledger.stored(`record:${busyReading}~retry`)) throw new StoreBusy(reading.deviceId);
        // A repeated reading is answered as the first time (the store itself would only say "ignored").
        const before = answers.get(sequenceNumber);
        if (before) return before;
        const answer = await real.store.record(reading, sequenceNumber);
        answers.set(sequenceNumber, answer);
        return answer;
      },
    };
    return {
      handler: durable(createTelemetryConsumer(store)),
      ledger,
      verify: (_result, where) => {
        // Every plausible reading up to a device's failure applied exactly once, in stream order.
        const want = event.Records.filter((r) => r.kinesis.sequenceNumber !== implausible && r.kinesis.sequenceNumber !== heldBack);
        expect(real.applied, where).toEqual(
          expect.arrayContaining(want.map((r) => `${r.kinesis.partitionKey}@${r.kinesis.sequenceNumber}`)),
        );
        expect(real.applied, where).toHaveLength(want.length);
        for (const device of ["thermo-1", "thermo-2", "thermo-3"]) {
          const mine = real.applied.filter((a) => a.startsWith(`${device}@`));
          expect(mine, `${where}: ${device}`).toEqual(want.filter((r) => r.kinesis.partitionKey === device).map((r) => `${device}@${r.kinesis.sequenceNumber}`));
        }
        expect(real.ignored, where).toEqual([]);
      },
    };
  }

  it("reports the same lowest failed sequence number, keeps each device's order, and re-applies no stored reading, whatever the crash", async () => {
    const report = await sweepAndReport({
      name: "kinesis-telemetry",
      payload: event,
      world: telemetryWorld,
      check: (run, _clean, where) => {
        expect(run.result.getResult() as StreamBatchResponse, where).toEqual({ batchItemFailures: [{ itemIdentifier: implausible }] });
        // Per device, calls never go back to an earlier reading (a repeat of the same one is allowed).
        const calls = run.world.ledger.callLog().map((label) => label.slice("record:".length));
        for (const device of ["thermo-1", "thermo-2", "thermo-3"]) {
          const mine = calls.filter((s) => event.Records.find((r) => r.kinesis.sequenceNumber === s)?.kinesis.partitionKey === device);
          expect(mine, `${where}: ${device}`).toEqual([...mine].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)));
        }
        // The implausible reading fails before its step, and the held-back one never reaches the store.
        expect(run.world.ledger.calls(`record:${implausible}`), where).toBe(0);
        expect(run.world.ledger.calls(`record:${heldBack}`), where).toBe(0);
      },
    });
    expect(report.checkpoints).toBeGreaterThan(5);
    // Before and after each checkpoint, inside each of the 7 bodies that reach the store, and after every checkpoint at once.
    expect(report.points).toBe(2 * report.checkpoints + 7 + 1);
  });
});
