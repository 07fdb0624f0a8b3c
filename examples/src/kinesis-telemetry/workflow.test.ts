import { withDurableExecution, type KinesisStreamEvent, type StreamBatchResponse } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { inMemoryTelemetry, type Reading, type TelemetryStore } from "./telemetry.js";
import { createTelemetryConsumer, kinesisEvent } from "./workflow.js";

const runnerFor = (store: TelemetryStore) =>
  new LocalDurableTestRunner<StreamBatchResponse>({ handlerFunction: withDurableExecution(createTelemetryConsumer(store)), skipTime: true });

/** `perDevice` readings from each device, interleaved as the shard delivers them. */
function readings(devices: readonly string[], perDevice: number): Reading[] {
  const out: Reading[] = [];
  for (let n = 0; n < perDevice; n++) for (const deviceId of devices) out.push({ deviceId, celsius: 20 + n });
  return out;
}

const sequenceNumbers = (event: KinesisStreamEvent, deviceId?: string) =>
  event.Records.filter((r) => deviceId === undefined || r.kinesis.partitionKey === deviceId).map((r) => r.kinesis.sequenceNumber);

describe("Kinesis telemetry consumer (stream partial-batch response)", () => {
  it("applies every device's readings in stream order and acknowledges the batch", async () => {
    const { store, applied, ignored } = inMemoryTelemetry();
    const event = kinesisEvent(readings(["thermo-1", "thermo-2", "thermo-3"], 4));
    const runner = runnerFor(store);
    const batch = runner.getOperation("kinesis-batch");
    const result = await runner.run({ payload: event });
    expect(result.getResult()).toEqual({ batchItemFailures: [] });
    for (const device of ["thermo-1", "thermo-2", "thermo-3"]) {
      expect(applied.filter((a) => a.startsWith(`${device}@`))).toEqual(sequenceNumbers(event, device).map((s) => `${device}@${s}`));
    }
    expect(ignored).toEqual([]);
    // One child context per record, named by its sequence number.
    const items = (batch.getChildOperations() ?? []).filter((op) => op.getType() === "CONTEXT");
    expect(items.map((op) => op.getName()).sort()).toEqual(sequenceNumbers(event).sort());
  });

  it("holds back a device after a bad record and reports the lowest sequence number that did not succeed", async () => {
    const { store, applied } = inMemoryTelemetry();
    const event = kinesisEvent([
      { deviceId: "thermo-1", celsius: 20 },
      { deviceId: "thermo-2", celsius: 20 },
      { deviceId: "thermo-2", raw: "{not json" }, // a poison record
      { deviceId: "thermo-1", celsius: 21 },
      { deviceId: "thermo-2", celsius: 22 },
      { deviceId: "thermo-3", celsius: 999 }, // implausible: fails too, but later in the shard
      { deviceId: "thermo-3", celsius: 23 },
    ]);
    const [, , poison, , heldBack, , heldBack3] = sequenceNumbers(event);
    const result = await runnerFor(store).run({ payload: event });
    // Lambda restarts the shard at the lowest reported sequence number, so that one is all that is reported.
    expect(result.getResult()).toEqual({ batchItemFailures: [{ itemIdentifier: poison }] });
    expect(applied.map((a) => a.split("@")[0])).toEqual(["thermo-1", "thermo-2", "thermo-1"]);
    expect(applied.some((a) => a.endsWith(`@${heldBack}`) || a.endsWith(`@${heldBack3}`))).toBe(false);
    // The poison record failed at once: no retries, no step started.
    const poisonItem = result.getOperations().find((op) => op.getName() === poison);
    expect(poisonItem?.getStatus()).toBe("FAILED");
    expect(poisonItem?.getChildOperations() ?? []).toEqual([]);
  });

  it("retries a busy store with back-off and then succeeds", async () => {
    const { store, applied } = inMemoryTelemetry({ "thermo-2": 2 });
    const event = kinesisEvent(readings(["thermo-1", "thermo-2"], 2));
    const result = await runnerFor(store).run({ payload: event });
    expect(result.getResult()).toEqual({ batchItemFailures: [] });
    expect(applied).toHaveLength(4);
    const busyStep = result
      .getOperations()
      .find((op) => op.getName() === sequenceNumbers(event, "thermo-2")[0])
      ?.getChildOperations()?.[0];
    expect(busyStep?.getStepDetails()?.attempt).toBe(3);
  });

  it("resumes after crashes mid-batch without applying any reading twice", async () => {
    const { store, applied, ignored } = inMemoryTelemetry();
    const event = kinesisEvent(readings(["thermo-1", "thermo-2", "thermo-3", "thermo-4"], 5));
    const appliedAtCrash: number[] = [];
    const crashes = [2, 4, 6];
    const result = await runnerFor(store).run({
      payload: event,
      faults: {
        crashAfterCheckpoint: crashes,
        // Observes only (never crashes): how far the batch was when each crashing checkpoint was sent.
        crashWhen: ({ phase, checkpointNumber }) => {
          if (phase === "before" && crashes.includes(checkpointNumber)) appliedAtCrash.push(applied.length);
          return false;
        },
      },
    });
    expect(result.getInjectedCrashCount()).toBe(3);
    expect(result.getInvocations()).toHaveLength(4);
    // The crashes hit mid-batch: some readings applied, not all.
    expect(appliedAtCrash).toHaveLength(3);
    for (const n of appliedAtCrash) expect(n > 0 && n < 20).toBe(true);
    expect(result.getResult()).toEqual({ batchItemFailures: [] });
    // Each result stored before a crash was replayed, not recomputed: the store saw every reading exactly once.
    expect(applied).toHaveLength(20);
    expect(ignored).toEqual([]);
  });

  it("survives a crash after a reading was applied but before its result was stored: the store ignores the repeat", async () => {
    const { store, applied, ignored } = inMemoryTelemetry();
    const event = kinesisEvent(readings(["thermo-1", "thermo-2"], 3));
    let lost: string[] = [];
    const result = await runnerFor(store).run({
      payload: event,
      faults: {
        // The process dies with step results computed but not yet stored.
        crashWhen: ({ phase, updates }) => {
          const completions = updates.filter((u) => u.Name === "record" && u.Action === "SUCCEED");
          if (phase !== "before" || completions.length === 0) return false;
          lost = completions.map((u) => u.ParentId ?? "");
          return true;
        },
      },
    });
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getResult()).toEqual({ batchItemFailures: [] });
    expect(lost.length).toBeGreaterThan(0);
    // At-least-once: each interrupted step ran again, and the idempotent store applied it only once.
    expect(applied).toHaveLength(6);
    expect(ignored).toHaveLength(lost.length);
  });

  it("when Lambda re-delivers from the reported record, a new execution applies the rest once and skips what was already applied", async () => {
    // thermo-2 stays busy through all four attempts of the first delivery, then recovers.
    const { store, applied, ignored } = inMemoryTelemetry({ "thermo-2": 4 });
    const event = kinesisEvent(readings(["thermo-1", "thermo-2", "thermo-3"], 3));
    const first = await runnerFor(store).run({ payload: event });
    const checkpoint = sequenceNumbers(event, "thermo-2")[0] as string;
    expect(first.getResult()).toEqual({ batchItemFailures: [{ itemIdentifier: checkpoint }] });

    // Lambda's next batch starts at the checkpoint: every record from there on, succeeded or not.
    const redelivered = { Records: event.Records.filter((r) => BigInt(r.kinesis.sequenceNumber) >= BigInt(checkpoint)) };
    const second = await runnerFor(store).run({ payload: redelivered });
    expect(second.getResult()).toEqual({ batchItemFailures: [] });
    expect([...applied].sort()).toEqual(event.Records.map((r) => `${r.kinesis.partitionKey}@${r.kinesis.sequenceNumber}`).sort());
    // Redelivered thermo-1 / thermo-3 readings after the checkpoint had succeeded the first time: a
    // new execution does not know that, so the store's idempotency is what keeps them single.
    expect(ignored).toEqual(redelivered.Records.filter((r) => r.kinesis.partitionKey !== "thermo-2").map((r) => r.kinesis.sequenceNumber));
    expect(ignored).toHaveLength(5);
  });
});
