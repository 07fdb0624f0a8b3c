import { allCompleted, retryPresets, type DurableContext } from "@cairn/sdk";
import type { DeviceStore, Reading } from "./devices.js";

export interface StreamBatch {
  readings: Reading[];
}

export interface StreamOutcome {
  applied: number;
  failed: Array<{ deviceId: string; seq: number; reason: string }>;
  /** Readings held back because an earlier reading of their device failed. */
  heldBack: Array<{ deviceId: string; seq: number }>;
}

/**
 * Applies a batch of readings from many devices: one device's readings in order, different devices
 * in parallel. A bad reading stops its device (later readings are held back to be re-sent in
 * order), while the other devices carry on.
 */
export function createStreamWorkflow(store: DeviceStore) {
  return async (input: StreamBatch, ctx: DurableContext): Promise<StreamOutcome> => {
    const result = await ctx.map(
      "apply-readings",
      input.readings,
      (c, reading) => c.step("apply", async () => store.apply(reading), { retryStrategy: retryPresets.noRetry }),
      {
        partitionKey: (reading) => reading.deviceId,
        maxConcurrency: 4,
        itemNamer: (reading) => `${reading.deviceId}#${reading.seq}`,
        completionConfig: allCompleted(),
      },
    );
    const at = (index: number) => input.readings[index] as Reading;
    return {
      applied: result.successCount,
      failed: result.failed().map((item) => ({ deviceId: at(item.index).deviceId, seq: at(item.index).seq, reason: item.error.message })),
      heldBack: result.skipped().map((item) => ({ deviceId: at(item.index).deviceId, seq: at(item.index).seq })),
    };
  };
}
