// Public API of the Kinesis / DynamoDB Streams partial-batch helpers (re-exported by the package index).
export {
  processKinesisBatch,
  processDynamoDbStreamBatch,
  streamBatchResponse,
  type ProcessStreamBatchOptions,
  type StreamRecordHandler,
} from "./streams.js";
export {
  type KinesisStreamEvent,
  type KinesisStreamRecord,
  type KinesisStreamRecordFields,
  type DynamoDbStreamEvent,
  type DynamoDbStreamRecord,
  type DynamoDbStreamRecordFields,
  type StreamBatchResponse,
} from "./stream-records.js";
export { kinesisDataBytes, kinesisDataText, kinesisDataJson, StreamRecordDecodeError } from "./kinesis-data.js";
export {
  unmarshallAttributes,
  unmarshallAttributeValue,
  type StreamAttributeValue,
  type StreamAttributeMap,
  type UnmarshalledValue,
  type UnmarshallOptions,
} from "./dynamodb-attributes.js";
export type { StreamRecordFields } from "./stream-records.js";
export type { KinesisPayloadRecord } from "./kinesis-data.js";
