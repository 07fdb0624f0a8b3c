import { ValidationError } from "../errors/validation-error.js";
import type { BatchResult, CompletionConfig, PartitionKey } from "../types/batch.js";
import type { DurableContext } from "../types/context.js";
import type { Duration } from "../types/duration.js";
import type { Serdes } from "../types/serdes.js";
import type { RetryStrategy } from "../types/step.js";
import { mapRecords } from "./record-map.js";
import {
  checkStreamRecords,
  compareSequenceNumbers,
  itemKeyOf,
  sequenceNumberOf,
  type DynamoDbStreamRecord,
  type DynamoDbStreamRecordFields,
  type KinesisStreamRecord,
  type KinesisStreamRecordFields,
  type StreamBatchResponse,
  type StreamRecordFields,
  type StreamSource,
} from "./stream-records.js";

/** Processes one stream record inside its own child context (call operations on `context`). */
export type StreamRecordHandler<TRecord, TResult> = (context: DurableContext, record: TRecord, index: number) => Promise<TResult>;

/** Options of {@link processKinesisBatch} and {@link processDynamoDbStreamBatch}. */
export interface ProcessStreamBatchOptions<TRecord, TResult> {
  /** Name of the map operation; default "kinesis-batch" / "dynamodb-stream-batch". */
  name?: string;
  /** Records (of different keys) processed at once, counting records that wait or back off; unbounded when absent. */
  maxConcurrency?: number;
  /**
   * How long one record may take (see BatchExecutionOptions.itemTimeout); a record past it counts as
   * not succeeded.
   */
  itemTimeout?: Duration;
  /**
   * Retry strategy of steps in the record handler that set none. Default: three attempts, 1 s then
   * 2 s apart, and none for a `SyntaxError` or `StreamRecordDecodeError` (malformed data); the
   * partial-batch response already has Lambda redeliver from a failed record.
   */
  retryStrategy?: RetryStrategy;
  /**
   * What orders the batch: records with equal keys run one after another in delivery order, and
   * after a failure the key's later records are not run (SKIPPED). Default: the Kinesis
   * `partitionKey`, or the DynamoDB item's `Keys`. `false` runs every record independently.
   */
  partitionKey?: ((record: TRecord, index: number) => PartitionKey) | false;
  /** Default: run every record whatever fails (allCompleted), so every key gets as far as it can. */
  completionConfig?: CompletionConfig;
  /** Serializes each record's result. */
  itemSerdes?: Serdes<TResult>;
}

/**
 * Processes a Kinesis Data Streams batch as one durable map (one child context per record, named
 * by its sequence number; records of one partition key in order, keys in parallel) and returns
 * the partial-batch response: the lowest sequence number that did not succeed, from which Lambda
 * redelivers the shard. The event source mapping must report batch item failures
 * (FunctionResponseTypes: ReportBatchItemFailures).
 */
export function processKinesisBatch<TResult, TRecord extends KinesisStreamRecordFields = KinesisStreamRecord>(
  context: DurableContext,
  event: { Records: TRecord[] },
  handler: StreamRecordHandler<TRecord, TResult>,
  options: ProcessStreamBatchOptions<TRecord, TResult> = {},
): Promise<StreamBatchResponse> {
  return processStreamBatch("processKinesisBatch", "kinesis", "kinesis-batch", (r) => r.kinesis.partitionKey, context, event, handler, options);
}

/**
 * Processes a DynamoDB Streams batch like `processKinesisBatch`, ordering the records of one item
 * (equal `dynamodb.Keys`) and reporting the lowest `dynamodb.SequenceNumber` that did not succeed.
 */
export function processDynamoDbStreamBatch<TResult, TRecord extends DynamoDbStreamRecordFields = DynamoDbStreamRecord>(
  context: DurableContext,
  event: { Records: TRecord[] },
  handler: StreamRecordHandler<TRecord, TResult>,
  options: ProcessStreamBatchOptions<TRecord, TResult> = {},
): Promise<StreamBatchResponse> {
  return processStreamBatch(
    "processDynamoDbStreamBatch",
    "dynamodb",
    "dynamodb-stream-batch",
    // checkStreamRecords has made sure every record has Keys when they order the batch.
    (r) => itemKeyOf(r.dynamodb?.Keys as { [name: string]: object }),
    context,
    event,
    handler,
    options,
  );
}

async function processStreamBatch<TRecord extends StreamRecordFields, TResult>(
  operation: string,
  source: StreamSource,
  defaultName: string,
  defaultKey: (record: TRecord) => PartitionKey,
  context: DurableContext,
  event: { Records: TRecord[] },
  handler: StreamRecordHandler<TRecord, TResult>,
  options: ProcessStreamBatchOptions<TRecord, TResult>,
): Promise<StreamBatchResponse> {
  const ordering = options.partitionKey;
  if (ordering !== undefined && ordering !== false && typeof ordering !== "function") {
    throw new ValidationError(`${operation}: partitionKey must be a function or false, got ${typeof ordering}.`);
  }
  // Everything is checked before the map starts, so a bad event writes no checkpoint.
  const records = checkStreamRecords(
    operation,
    (event as Partial<typeof event> | null | undefined)?.Records,
    source,
    ordering === undefined,
  ) as TRecord[];
  if (typeof handler !== "function") throw new ValidationError(`${operation}: the record handler is missing; pass (context, record, index) => ….`);
  const partitionKey = ordering === false ? undefined : (ordering ?? defaultKey);
  const result = await mapRecords(context, records, handler, options, { defaultName, itemNamer: sequenceNumberOf, partitionKey });
  return streamBatchResponse(result, records);
}

/**
 * The stream partial-batch response for a map that ran over `records` (record i is item i): the
 * lowest sequence number among the records whose item did not succeed — failed, timed out,
 * skipped, still started or never started — or an empty list when all succeeded.
 *
 * Only that one is reported because it is all Lambda uses: it checkpoints the shard before the
 * lowest sequence number listed and delivers every later record again, succeeded or not.
 */
export function streamBatchResponse(
  result: BatchResult<unknown>,
  records: ReadonlyArray<StreamRecordFields>,
): StreamBatchResponse {
  if (!Array.isArray(records)) throw new ValidationError("streamBatchResponse: pass the stream records the batch ran over (event.Records).");
  checkStreamRecords("streamBatchResponse", records, "any", false);
  // toSqsBatchResponse lists every item that did not succeed, never-started ones included, and
  // checks the record count; with the indexes as identifiers it tells which records to consider.
  let notSucceeded: Array<{ itemIdentifier: string }>;
  try {
    notSucceeded = result.toSqsBatchResponse(records.map((_, index) => ({ messageId: String(index) }))).batchItemFailures;
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.message.replace(/^toSqsBatchResponse/, "streamBatchResponse"));
    throw error;
  }
  let lowest: string | undefined;
  for (const { itemIdentifier } of notSucceeded) {
    const sequenceNumber = sequenceNumberOf(records[Number(itemIdentifier)] as StreamRecordFields);
    if (lowest === undefined || compareSequenceNumbers(sequenceNumber, lowest) < 0) lowest = sequenceNumber;
  }
  return { batchItemFailures: lowest === undefined ? [] : [{ itemIdentifier: lowest }] };
}
