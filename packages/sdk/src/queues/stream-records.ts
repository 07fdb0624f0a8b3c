import { ValidationError } from "../errors/validation-error.js";
import type { StreamAttributeMap } from "./dynamodb-attributes.js";

/** A Kinesis Data Streams record as a Lambda event source mapping delivers it (the fields Cairn reads; the rest pass through). */
export interface KinesisStreamRecord {
  /** "aws:kinesis". */
  eventSource?: string;
  /** `shardId:sequenceNumber`. */
  eventID?: string;
  /** The stream's ARN. */
  eventSourceARN?: string;
  /** The Kinesis part of the record. */
  kinesis: {
    /** Records with the same partition key are processed in order. */
    partitionKey: string;
    /** Decimal digits, increasing within the shard; what the partial-batch response reports. */
    sequenceNumber: string;
    /** The payload, base64-encoded: see `kinesisDataText` / `kinesisDataJson`. */
    data: string;
    /** When the record reached the stream, in epoch seconds. */
    approximateArrivalTimestamp?: number;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** The event Lambda delivers from a Kinesis event source mapping. */
export interface KinesisStreamEvent {
  /** The batch's records, in shard order. */
  Records: KinesisStreamRecord[];
}

/**
 * What processKinesisBatch needs of a record type: the fields every Kinesis record type has, so
 * `KinesisStreamRecord` of `@types/aws-lambda` is accepted as it is (the record handler then gets
 * that type).
 */
export interface KinesisStreamRecordFields {
  /** `"aws:kinesis"` when present. */
  eventSource?: string | undefined;
  /** `shardId:sequenceNumber`. */
  eventID?: string | undefined;
  /** The stream's ARN. */
  eventSourceARN?: string | undefined;
  /** The fields processKinesisBatch reads. */
  kinesis: {
    /** Orders the batch by default. */
    partitionKey: string;
    /** Reported in the partial-batch response. */
    sequenceNumber: string;
    /** The base64 payload. */
    data: string;
  };
}

/** A DynamoDB Streams record as a Lambda event source mapping delivers it (the fields Cairn reads; the rest pass through). */
export interface DynamoDbStreamRecord {
  /** "aws:dynamodb". */
  eventSource?: string;
  /** The record's unique id. */
  eventID?: string;
  /** What happened to the item. */
  eventName?: "INSERT" | "MODIFY" | "REMOVE";
  /** The stream's ARN. */
  eventSourceARN?: string;
  /** The DynamoDB part of the record. */
  dynamodb: {
    /** Decimal digits, increasing within the shard; what the partial-batch response reports. */
    SequenceNumber: string;
    /** The item's primary key; records of one item are processed in order. */
    Keys: StreamAttributeMap;
    /** Absent for REMOVE and for KEYS_ONLY / OLD_IMAGE streams; see `unmarshallAttributes`. */
    NewImage?: StreamAttributeMap;
    /** The item before the change; only in OLD_IMAGE / NEW_AND_OLD_IMAGES streams, absent for INSERT. */
    OldImage?: StreamAttributeMap;
    /** Which images the stream carries. */
    StreamViewType?: "KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES";
    /** When the change was made, in epoch seconds. */
    ApproximateCreationDateTime?: number;
    /** Size of the record. */
    SizeBytes?: number;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** The event Lambda delivers from a DynamoDB Streams event source mapping. */
export interface DynamoDbStreamEvent {
  /** The batch's records, in shard order. */
  Records: DynamoDbStreamRecord[];
}

/**
 * What processDynamoDbStreamBatch needs of a record type. Every field is optional, as in
 * `DynamoDBRecord` of `@types/aws-lambda`, which is accepted as it is: the batch checks at run
 * time that each record has its `dynamodb.SequenceNumber` (and `Keys` when they order the batch).
 */
export interface DynamoDbStreamRecordFields {
  /** `"aws:dynamodb"` when present. */
  eventSource?: string | undefined;
  /** The record's unique id. */
  eventID?: string | undefined;
  /** INSERT, MODIFY or REMOVE. */
  eventName?: string | undefined;
  /** The stream's ARN. */
  eventSourceARN?: string | undefined;
  /** The fields processDynamoDbStreamBatch reads. */
  dynamodb?:
    | {
        /** Reported in the partial-batch response; required at run time. */
        SequenceNumber?: string | undefined;
        /** Orders the batch by item by default. */
        Keys?: { [name: string]: object } | undefined;
      }
    | undefined;
}

/** A record of either stream, as the shared stream helpers take it. */
export type StreamRecordFields = KinesisStreamRecordFields | DynamoDbStreamRecordFields;

/**
 * The Lambda response that acknowledges a stream batch partially. Lambda checkpoints the shard
 * just before the lowest sequence number listed and delivers every record from there on again;
 * an empty list acknowledges the whole batch.
 */
export interface StreamBatchResponse {
  /** At most one entry: the lowest sequence number that did not succeed. */
  batchItemFailures: Array<{
    /** That record's sequence number. */
    itemIdentifier: string;
  }>;
}

export type StreamSource = "kinesis" | "dynamodb";

const SOURCES: Record<StreamSource, { eventSource: string; label: string; field: "kinesis" | "dynamodb"; other: string }> = {
  kinesis: { eventSource: "aws:kinesis", label: "Kinesis", field: "kinesis", other: "processDynamoDbStreamBatch" },
  dynamodb: { eventSource: "aws:dynamodb", label: "DynamoDB Streams", field: "dynamodb", other: "processKinesisBatch" },
};

/**
 * Checks a stream event's Records before anything runs: records of one source (`expected`, or
 * whichever the first record is), each with
 * a sequence number (decimal digits, unique in the batch) and, when `needsKey`, the field that
 * orders it. Names the operation, the record index and the field.
 */
export function checkStreamRecords(operation: string, records: unknown, expected: StreamSource | "any", needsKey: boolean): unknown[] {
  if (!Array.isArray(records)) {
    const what = expected === "any" ? "stream" : SOURCES[expected].label;
    throw new ValidationError(`${operation}: the event has no Records array; pass the ${what} event Lambda delivered.`);
  }
  const sources = records.map((record, index) => sourceOf(operation, record, index));
  const first = sources.findIndex((s) => s !== sources[0]);
  if (first !== -1) {
    throw new ValidationError(
      `${operation}: the batch mixes sources — record 0 is a ${SOURCES[sources[0] as StreamSource].label} record, record ${first} a ` +
        `${SOURCES[sources[first] as StreamSource].label} one; a Lambda stream batch comes from one stream.`,
    );
  }
  const source = expected === "any" ? (sources[0] ?? "kinesis") : expected;
  if (sources.length > 0 && sources[0] !== source) {
    throw new ValidationError(
      `${operation}: record 0 is a ${SOURCES[sources[0] as StreamSource].label} record; use ${SOURCES[source].other} for this event.`,
    );
  }
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const sequenceNumber = checkRecord(operation, record as Record<string, unknown>, index, source, needsKey);
    const earlier = seen.get(sequenceNumber);
    if (earlier !== undefined) {
      throw new ValidationError(
        `${operation}: records ${earlier} and ${index} have the same sequence number ${sequenceNumber}; a batch comes from one shard, where sequence numbers are unique.`,
      );
    }
    seen.set(sequenceNumber, index);
  });
  return records;
}

function sourceOf(operation: string, record: unknown, index: number): StreamSource {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new ValidationError(`${operation}: record ${index} is not an object; pass the records as Lambda delivers them.`);
  }
  const { eventSource, kinesis, dynamodb } = record as { eventSource?: unknown; kinesis?: unknown; dynamodb?: unknown };
  if (eventSource !== undefined) {
    if (eventSource === "aws:kinesis") return "kinesis";
    if (eventSource === "aws:dynamodb") return "dynamodb";
    throw new ValidationError(
      `${operation}: record ${index} has eventSource ${JSON.stringify(eventSource)}; expected "aws:kinesis" or "aws:dynamodb".`,
    );
  }
  // Hand-built test events often leave eventSource out: tell the source by its payload field.
  if (kinesis !== undefined && dynamodb === undefined) return "kinesis";
  if (dynamodb !== undefined && kinesis === undefined) return "dynamodb";
  throw new ValidationError(
    `${operation}: record ${index} has ${kinesis === undefined ? "neither" : "both"} a kinesis and a dynamodb field and no eventSource; ` +
      "pass the records as Lambda delivers them.",
  );
}

/** Validates one record of the expected source and returns its sequence number. */
function checkRecord(operation: string, record: Record<string, unknown>, index: number, source: StreamSource, needsKey: boolean): string {
  const field = SOURCES[source].field;
  const body = record[field];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError(`${operation}: record ${index} has no ${field} object; pass the records as Lambda delivers them.`);
  }
  const fields = body as Record<string, unknown>;
  const sequenceField = source === "kinesis" ? "sequenceNumber" : "SequenceNumber";
  const sequenceNumber = fields[sequenceField];
  if (typeof sequenceNumber !== "string" || !/^\d+$/.test(sequenceNumber)) {
    throw new ValidationError(
      `${operation}: record ${index} has ${sequenceNumber === undefined ? "no" : `an invalid ${JSON.stringify(sequenceNumber)} as`} ${field}.${sequenceField}; ` +
        "it must be the record's sequence number, a string of decimal digits.",
    );
  }
  if (source === "kinesis") {
    if (typeof fields.data !== "string") {
      throw new ValidationError(`${operation}: record ${index} (${sequenceNumber}) has no kinesis.data string (the base64 payload).`);
    }
    if (needsKey && (typeof fields.partitionKey !== "string" || fields.partitionKey.length === 0)) {
      throw new ValidationError(
        `${operation}: record ${index} (${sequenceNumber}) has no kinesis.partitionKey, which orders the batch; ` +
          "pass a partitionKey function (or partitionKey: false) to order by something else.",
      );
    }
  } else if (needsKey) {
    const keys = fields.Keys;
    if (typeof keys !== "object" || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
      throw new ValidationError(
        `${operation}: record ${index} (${sequenceNumber}) has no dynamodb.Keys, which orders the batch by item; ` +
          "pass a partitionKey function (or partitionKey: false) to order by something else.",
      );
    }
  }
  return sequenceNumber;
}

/** The record's sequence number (validated by checkStreamRecords). */
export function sequenceNumberOf(record: StreamRecordFields): string {
  return "kinesis" in record && record.kinesis !== undefined
    ? record.kinesis.sequenceNumber
    : ((record as DynamoDbStreamRecordFields).dynamodb?.SequenceNumber as string);
}

/** Compares decimal-digit sequence numbers by value (they differ in length, so not as text). */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A DynamoDB item's identity from its Keys: attribute names in sorted order with their typed
 * values, so the same item always gives the same key whatever order the attributes arrive in.
 */
export function itemKeyOf(keys: StreamAttributeMap | { [name: string]: object }): string {
  return JSON.stringify(
    Object.keys(keys)
      .sort()
      .map((name) => [name, keys[name]]),
  );
}
