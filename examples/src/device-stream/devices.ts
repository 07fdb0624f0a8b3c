/** A reading from one device; `seq` increases per device. */
export interface Reading {
  deviceId: string;
  seq: number;
  celsius: number;
}

/** Device state that must see each device's readings in order (e.g. to compute deltas). */
export interface DeviceStore {
  apply(reading: Reading): Promise<{ deviceId: string; seq: number; delta: number }>;
}

export class OutOfOrderReading extends Error {
  constructor(reading: Reading, last: number) {
    super(`device ${reading.deviceId}: reading ${reading.seq} arrived after ${last}`);
    this.name = "OutOfOrderReading";
  }
}

/** An in-memory store that rejects out-of-order readings and implausible values, counting applications. */
export function inMemoryDevices() {
  const last = new Map<string, { seq: number; celsius: number }>();
  const applied: string[] = [];
  const store: DeviceStore = {
    async apply(reading) {
      const previous = last.get(reading.deviceId);
      if (previous && reading.seq <= previous.seq) throw new OutOfOrderReading(reading, previous.seq);
      if (reading.celsius < -80 || reading.celsius > 150) throw new RangeError(`implausible reading ${reading.celsius} °C`);
      last.set(reading.deviceId, { seq: reading.seq, celsius: reading.celsius });
      applied.push(`${reading.deviceId}#${reading.seq}`);
      return { deviceId: reading.deviceId, seq: reading.seq, delta: previous ? reading.celsius - previous.celsius : 0 };
    },
  };
  return { store, applied, last };
}
