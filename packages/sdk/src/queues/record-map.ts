import type { BatchResult, CompletionConfig, PartitionKey } from "../types/batch.js";
import type { DurableContext } from "../types/context.js";
import type { Duration } from "../types/duration.js";
import type { Serdes } from "../types/serdes.js";
import type { RetryStrategy } from "../types/step.js";
import { recordRetryStrategy } from "./record-retry.js";

/** The options of processSqsBatch / processKinesisBatch / processDynamoDbStreamBatch that go to the map as they are. */
export interface RecordMapOptions<TResult> {
  name?: string | undefined;
  maxConcurrency?: number | undefined;
  itemTimeout?: Duration | undefined;
  retryStrategy?: RetryStrategy | undefined;
  completionConfig?: CompletionConfig | undefined;
  itemSerdes?: Serdes<TResult> | undefined;
}

/** What each helper decides for itself: the map's default name, each item's name, the ordering. */
export interface RecordMapShape<TRecord> {
  defaultName: string;
  itemNamer: (record: TRecord) => string;
  partitionKey: ((record: TRecord, index: number) => PartitionKey) | undefined;
}

/**
 * Runs a queue or stream batch as one durable map over its (already checked) records, one child
 * context per record. Unless told otherwise every record runs whatever the others do
 * (toleratedFailurePercentage 100), so each record gets its own verdict in the partial-batch
 * response, and steps that set no retry strategy use recordRetryStrategy (a few quick attempts).
 */
export function mapRecords<TRecord, TResult>(
  context: DurableContext,
  records: TRecord[],
  handler: (context: DurableContext, record: TRecord, index: number) => Promise<TResult>,
  options: RecordMapOptions<TResult>,
  shape: RecordMapShape<TRecord>,
): PromiseLike<BatchResult<TResult>> {
  const { partitionKey } = shape;
  return context.map(options.name ?? shape.defaultName, records, (c, record, index) => handler(c, record, index), {
    itemNamer: shape.itemNamer,
    completionConfig: options.completionConfig ?? { toleratedFailurePercentage: 100 },
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    ...(options.itemTimeout === undefined ? {} : { itemTimeout: options.itemTimeout }),
    retryStrategy: options.retryStrategy ?? recordRetryStrategy,
    ...(options.itemSerdes === undefined ? {} : { itemSerdes: options.itemSerdes }),
    ...(partitionKey === undefined ? {} : { partitionKey }),
  });
}
