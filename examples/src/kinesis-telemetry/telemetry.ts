/** One telemetry reading, as a device publishes it to the stream (JSON, partition key = deviceId). */
export interface Reading {
  deviceId: string;
  celsius: number;
}

/** Where readings land: per-device state that must see each device's readings in stream order. */
export interface TelemetryStore {
  /**
   * Applies a reading once. Kinesis sequence numbers grow within a shard, so a reading at or below
   * the device's last applied sequence number is a redelivery: it is ignored, not applied again.
   */
  record(reading: Reading, sequenceNumber: string): Promise<{ applied: boolean; delta: number }>;
}

/** A downstream hiccup worth retrying (throttling, a timeout). */
export class StoreBusy extends Error {
  constructor(deviceId: string) {
    super(`store busy for ${deviceId}`);
    this.name = "StoreBusy";
  }
}

// Sequence numbers are decimal strings of varying length: compare by value.
const after = (a: string, b: string) => (a.length !== b.length ? a.length > b.length : a > b);

/**
 * An in-memory store that counts what it applies and ignores, and can be told to be busy for a
 * device a number of times (transient errors) before it accepts its readings.
 */
export function inMemoryTelemetry(busy: Record<string, number> = {}) {
  const last = new Map<string, { sequenceNumber: string; celsius: number }>();
  const applied: string[] = [];
  const ignored: string[] = [];
  const busyLeft = new Map(Object.entries(busy));
  const store: TelemetryStore = {
    async record(reading, sequenceNumber) {
      const left = busyLeft.get(reading.deviceId) ?? 0;
      if (left > 0) {
        busyLeft.set(reading.deviceId, left - 1);
        throw new StoreBusy(reading.deviceId);
      }
      const previous = last.get(reading.deviceId);
      if (previous && !after(sequenceNumber, previous.sequenceNumber)) {
        ignored.push(sequenceNumber);
        return { applied: false, delta: 0 };
      }
      last.set(reading.deviceId, { sequenceNumber, celsius: reading.celsius });
      applied.push(`${reading.deviceId}@${sequenceNumber}`);
      return { applied: true, delta: previous ? reading.celsius - previous.celsius : 0 };
    },
  };
  return { store, applied, ignored, last };
}
