// Public API of @cairn/dynamodb.
export { DynamoDbCheckpointStore, type DynamoDbCheckpointStoreOptions } from "./dynamodb-store.js";
export {
  createCairnTable,
  definitionOf as cairnTableDefinition,
  DUE_INDEX,
  LIST_INDEX,
  type CairnTable,
  type CreateCairnTableOptions,
} from "./table.js";
export {
  PayloadTooLargeError,
  DynamoDbRequestError,
  DynamoDbUnavailableError,
  StoreContentionError,
  TableSettingsMismatchError,
} from "./errors.js";
export { MAX_VALUE_BYTES } from "./item-layout.js";
export type { RetryPolicy } from "./retry.js";
export { CairnClient, createCairnClient, type CairnClientOptions, type StartParams } from "./client.js";
export { createWorker, type Worker, type WorkerOptions, type RunOnceResult } from "./worker.js";
export { DynamoDbFailedItemWriter, type DynamoDbFailedItemWriterOptions, type DynamoDbFailedItemsCursor } from "./failed-item-writer.js";
export { DynamoDbProgressBoard, type DynamoDbProgressBoardOptions } from "./progress-board.js";
