/** What the decoders read: a record's `kinesis.data` (and its sequence number for messages). */
export type KinesisPayloadRecord = {
  /** The Kinesis part of the record. */
  kinesis: {
    /** The payload, base64-encoded. */
    data: string;
    /** Named in decode errors when present. */
    sequenceNumber?: string;
  };
};

/**
 * A Kinesis record's payload could not be decoded. Thrown inside the record's item, it fails that
 * record (so it is reported) rather than the batch; retrying cannot help, so decode outside a
 * step, or list it in a retry strategy's non-retryable errors.
 */
export class StreamRecordDecodeError extends Error {
  /** `"StreamRecordDecodeError"`. */
  readonly errorType = "StreamRecordDecodeError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StreamRecordDecodeError";
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The raw bytes of a Kinesis record's payload (`kinesis.data`, base64 in the event). */
export function kinesisDataBytes(record: KinesisPayloadRecord): Uint8Array {
  const data = (record as Partial<KinesisPayloadRecord> | null)?.kinesis?.data;
  if (typeof data !== "string" || !BASE64.test(data) || data.length % 4 === 1) {
    throw new StreamRecordDecodeError(`Kinesis record ${describe(record)}: kinesis.data is not base64.`);
  }
  return new Uint8Array(Buffer.from(data, "base64"));
}

/** A Kinesis record's payload as UTF-8 text. Throws a StreamRecordDecodeError for bytes that are not UTF-8. */
export function kinesisDataText(record: KinesisPayloadRecord): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(kinesisDataBytes(record));
  } catch (error) {
    if (error instanceof StreamRecordDecodeError) throw error;
    throw new StreamRecordDecodeError(`Kinesis record ${describe(record)}: kinesis.data is not UTF-8 text.`, { cause: error });
  }
}

/**
 * A Kinesis record's payload parsed as JSON (UTF-8). Throws a StreamRecordDecodeError when it is
 * not JSON. `T` is the caller's claim about the payload's shape; nothing checks it.
 */
export function kinesisDataJson<T = unknown>(record: KinesisPayloadRecord): T {
  const text = kinesisDataText(record);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StreamRecordDecodeError(`Kinesis record ${describe(record)}: kinesis.data is not JSON.`, { cause: error });
  }
}

function describe(record: KinesisPayloadRecord): string {
  const sequenceNumber = (record as Partial<KinesisPayloadRecord> | null)?.kinesis?.sequenceNumber;
  return typeof sequenceNumber === "string" ? sequenceNumber : "(no sequence number)";
}
