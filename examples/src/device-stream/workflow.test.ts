import { withDurableExecution } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { inMemoryDevices, type DeviceStore, type Reading } from "./devices.js";
import { createStreamWorkflow, type StreamOutcome } from "./workflow.js";

const runnerFor = (store: DeviceStore) =>
  new LocalDurableTestRunner<StreamOutcome>({ handlerFunction: withDurableExecution(createStreamWorkflow(store)), skipTime: true });

/** Readings of `devices` devices, `perDevice` each, interleaved as a stream delivers them. */
function stream(devices: number, perDevice: number, celsius = (d: number, s: number) => 20 + d + s): Reading[] {
  const readings: Reading[] = [];
  for (let seq = 1; seq <= perDevice; seq++) {
    for (let d = 0; d < devices; d++) readings.push({ deviceId: `dev-${d}`, seq, celsius: celsius(d, seq) });
  }
  return readings;
}

describe("device event stream ordered by device id (partitionKey)", () => {
  it("applies every device's readings in order while devices run in parallel", async () => {
    const { store, applied } = inMemoryDevices();
    const result = await runnerFor(store).run({ payload: { readings: stream(6, 5) } });
    expect(result.getResult()).toEqual({ applied: 30, failed: [], heldBack: [] });
    for (let d = 0; d < 6; d++) {
      expect(applied.filter((x) => x.startsWith(`dev-${d}#`))).toEqual([1, 2, 3, 4, 5].map((s) => `dev-${d}#${s}`));
    }
  });

  it("holds back a device's later readings after a bad one and carries on with the others", async () => {
    const { store, applied } = inMemoryDevices();
    const readings = stream(3, 4, (d, s) => (d === 1 && s === 2 ? 999 : 20));
    const result = await runnerFor(store).run({ payload: { readings } });
    expect(result.getResult()).toEqual({
      applied: 9,
      failed: [{ deviceId: "dev-1", seq: 2, reason: "implausible reading 999 °C" }],
      heldBack: [
        { deviceId: "dev-1", seq: 3 },
        { deviceId: "dev-1", seq: 4 },
      ],
    });
    expect(applied.filter((x) => x.startsWith("dev-1#"))).toEqual(["dev-1#1"]);
  });

  it("resumes after a crash mid-stream without applying a reading twice or out of order", async () => {
    const { store, applied } = inMemoryDevices();
    const result = await runnerFor(store).run({
      payload: { readings: stream(4, 6) },
      faults: { crashAfterCheckpoint: [4, 9] },
    });
    expect(result.getInjectedCrashCount()).toBe(2);
    // The store rejects a repeated or out-of-order reading, so 24 applied means each exactly once, in order.
    expect(result.getResult()).toEqual({ applied: 24, failed: [], heldBack: [] });
    expect(new Set(applied).size).toBe(applied.length);
  });
});
