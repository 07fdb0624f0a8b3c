import {
  createRetryStrategy,
  JitterStrategy,
  kinesisDataJson,
  processKinesisBatch,
  type DurableContext,
  type KinesisStreamEvent,
  type KinesisStreamRecord,
  type StreamBatchResponse,
} from "@cairn/sdk";
import { StoreBusy, type Reading, type TelemetryStore } from "./telemetry.js";

/** A reading that can never be applied, however often it is retried. */
export class InvalidReading extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidReading";
  }
}

const transientRetry = createRetryStrategy({
  maxAttempts: 4,
  initialDelay: { seconds: 1 },
  jitter: JitterStrategy.NONE,
  retryableErrorTypes: [StoreBusy],
});

/**
 * A Kinesis consumer for device telemetry with a partial-batch response. Each reading is one
 * durable item; one device's readings (its partition key) are applied in stream order, devices in
 * parallel. A reading that fails after its retries stops its device for this batch, and the
 * response names the lowest sequence number that did not succeed: Lambda re-delivers the shard
 * from there, so the store ignores readings it has already applied.
 */
export function createTelemetryConsumer(store: TelemetryStore) {
  return async (event: KinesisStreamEvent, ctx: DurableContext): Promise<StreamBatchResponse> =>
    processKinesisBatch(
      ctx,
      event,
      async (item, record) => {
        // Decoded outside the step: a malformed payload fails its record at once, without retries.
        const reading = readingOf(record);
        return item.step("record", async () => store.record(reading, record.kinesis.sequenceNumber));
      },
      { maxConcurrency: 8, retryStrategy: transientRetry, itemTimeout: { minutes: 2 } },
    );
}

function readingOf(record: KinesisStreamRecord): Reading {
  const reading = kinesisDataJson<Partial<Reading>>(record);
  if (typeof reading?.deviceId !== "string" || typeof reading.celsius !== "number" || reading.celsius < -80 || reading.celsius > 150) {
    throw new InvalidReading(`record ${record.kinesis.sequenceNumber} is not a plausible reading`);
  }
  return { deviceId: reading.deviceId, celsius: reading.celsius };
}

/** Builds a Kinesis event as Lambda delivers it; sequence numbers grow from `first` in delivery order. */
export function kinesisEvent(readings: ReadonlyArray<Reading | { deviceId: string; raw: string }>, first = 49650000000000000000000000001n): KinesisStreamEvent {
  return {
    Records: readings.map((reading, index) => {
      const sequenceNumber = String(first + BigInt(index));
      const data = "raw" in reading ? reading.raw : JSON.stringify(reading);
      return {
        eventSource: "aws:kinesis",
        eventID: `shardId-000000000003:${sequenceNumber}`,
        eventName: "aws:kinesis:record",
        eventSourceARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/telemetry",
        kinesis: { partitionKey: reading.deviceId, sequenceNumber, data: Buffer.from(data).toString("base64") },
      };
    }),
  };
}
