/**
 * Item sources for Cairn distributed maps (`ctx.distributedMap` with `defineDistributedMap`):
 * Amazon S3 listings ({@link s3ObjectsSource}), the records of JSON-lines and CSV objects
 * ({@link s3JsonLinesSource}, {@link s3CsvSource}) and DynamoDB Query and Scan pages
 * ({@link dynamoDbQuerySource}, {@link dynamoDbScanSource}). Each reads page by page with a plain
 * JSON cursor that a child execution checkpoints, and splits into partitions its own way.
 * {@link S3FailedItemWriter} keeps a map's failed items in S3 and reads them back as a redrive's source.
 *
 * @packageDocumentation
 */
export { s3ObjectsSource, type S3ObjectsSourceOptions, type S3ObjectsCursor } from "./s3/s3-objects-source.js";
export type { S3ObjectSummary } from "./s3/object-summary.js";
export type { KeyRange } from "./s3/key-ranges.js";
export { s3JsonLinesSource } from "./s3/s3-json-lines-source.js";
export { s3CsvSource, type S3CsvSourceOptions } from "./s3/s3-csv-source.js";
export type { S3RecordsSourceOptions, S3RecordsCursor } from "./s3/object-records-source.js";
export { dynamoDbQuerySource, type DynamoDbQuerySourceOptions, type DynamoDbQueryCursor } from "./dynamodb/dynamodb-query-source.js";
export { dynamoDbScanSource, type DynamoDbScanSourceOptions, type DynamoDbScanCursor } from "./dynamodb/dynamodb-scan-source.js";
export type { ItemShape } from "./dynamodb/items.js";
export type { CursorKey, CursorKeyAttribute } from "./dynamodb/key-codec.js";
export { SourceObjectChangedError, MalformedRecordError } from "./errors.js";
export { S3FailedItemWriter, type S3FailedItemWriterOptions } from "./s3/failed-item-writer.js";
export type { S3FailedItemsCursor } from "./s3/failed-items-source.js";
