import { ValidationError } from "../errors/validation-error.js";
import type { CompletionConfig, SqsBatchResponse } from "../types/batch.js";
import type { DurableContext } from "../types/context.js";
import type { Duration } from "../types/duration.js";
import type { Serdes } from "../types/serdes.js";
import type { RetryStrategy } from "../types/step.js";
import { mapRecords } from "./record-map.js";

/**
 * What processSqsBatch needs of a record type: the fields every SQS record type has, so
 * `SQSRecord` of `@types/aws-lambda` is accepted as it is (the record handler then gets that type).
 */
export interface SqsRecordFields {
  /** Identifies the record in the partial-batch response. */
  messageId: string;
  /** System attributes; only `MessageGroupId` is read. */
  attributes?:
    | {
        /** The FIFO message group; records of one group run in order. */
        MessageGroupId?: string | undefined;
      }
    | undefined;
  /** The queue's ARN; a `.fifo` suffix turns on FIFO processing under `fifo: "auto"`. */
  eventSourceARN?: string | undefined;
}

/** An SQS record: the fields Cairn reads (Lambda delivers more; they pass through). */
export interface SqsRecord extends SqsRecordFields {
  /** The message body, as sent. */
  body: string;
  /** System attributes (`MessageGroupId`, `ApproximateReceiveCount`, ...). */
  attributes?: {
    /** The FIFO message group. */
    MessageGroupId?: string;
    [name: string]: string | undefined;
  };
  /** The queue's ARN. */
  eventSourceARN?: string;
  [field: string]: unknown;
}

/** The event Lambda delivers from an SQS event source mapping. */
export interface SqsEvent {
  /** The batch's messages, in delivery order. */
  Records: SqsRecord[];
}

/** Processes one record of a batch inside its own child context. */
export type SqsRecordHandler<TResult, TRecord extends SqsRecordFields = SqsRecord> = (
  context: DurableContext,
  record: TRecord,
  index: number,
) => Promise<TResult>;

/** Options of {@link processSqsBatch}. */
export interface ProcessSqsBatchOptions<TResult> {
  /** Name of the map operation; default "sqs-batch". */
  name?: string;
  /** Records processed at once; unbounded when absent. */
  maxConcurrency?: number;
  /**
   * How long one record may take (see BatchExecutionOptions.itemTimeout); a record past it is reported
   * failed.
   */
  itemTimeout?: Duration;
  /**
   * Retry strategy of steps in the record handler that set none. Default: three attempts, 1 s then
   * 2 s apart, and none for a `SyntaxError` or `StreamRecordDecodeError` (malformed data); the
   * partial-batch response already has the queue redeliver a failed record.
   */
  retryStrategy?: RetryStrategy;
  /**
   * FIFO processing: records of one MessageGroupId run one after another in delivery order, and
   * after a failure the group's later records are not run and are reported failed. "auto" (the
   * default) turns it on when the source queue's ARN ends in ".fifo" or records carry a MessageGroupId.
   */
  fifo?: boolean | "auto";
  /** Default: run every record whatever fails (allCompleted), so each record gets its own verdict. */
  completionConfig?: CompletionConfig;
  /** Serializes each record's result. */
  itemSerdes?: Serdes<TResult>;
}

/**
 * Processes an SQS batch as one durable map (one child context per record, named by its
 * messageId) and returns the partial-batch response: every record that did not succeed is listed
 * for redelivery. A record whose item succeeded is never processed again in this execution, even
 * after a crash. The function's event source mapping must report batch item failures
 * (FunctionResponseTypes: ReportBatchItemFailures). A malformed event (no Records, a record
 * without a unique messageId, a FIFO record without MessageGroupId) rejects with
 * {@link ValidationError} before anything runs.
 *
 * @example
 * ```ts
 * export const handler = withDurableExecution(async (event: SqsEvent, ctx) =>
 *   processSqsBatch(ctx, event, (record) => record.step("save", () => orders.save(JSON.parse(record.body)))),
 * );
 * ```
 */
export async function processSqsBatch<TResult, TRecord extends SqsRecordFields = SqsRecord>(
  context: DurableContext,
  event: { Records: TRecord[] },
  handler: SqsRecordHandler<TResult, TRecord>,
  options: ProcessSqsBatchOptions<TResult> = {},
): Promise<SqsBatchResponse> {
  const records = checkRecords(event);
  if (typeof handler !== "function") throw new ValidationError("processSqsBatch: the record handler is missing.");
  const fifo = isFifo(records, options.fifo ?? "auto");
  if (fifo) {
    records.forEach((record, index) => {
      if (typeof record.attributes?.MessageGroupId !== "string") {
        throw new ValidationError(
          `processSqsBatch: FIFO processing needs attributes.MessageGroupId on every record; record ${index} (${record.messageId}) has none. ` +
            "Pass fifo: false for a standard queue.",
        );
      }
    });
  }
  const result = await mapRecords(context, records, handler, options, {
    defaultName: "sqs-batch",
    itemNamer: (record) => record.messageId,
    partitionKey: fifo ? (record) => record.attributes?.MessageGroupId as string : undefined,
  });
  return result.toSqsBatchResponse(records);
}

function checkRecords<TRecord extends SqsRecordFields>(event: { Records: TRecord[] }): TRecord[] {
  const records = (event as Partial<{ Records: TRecord[] }> | null | undefined)?.Records;
  if (!Array.isArray(records)) {
    throw new ValidationError("processSqsBatch: the event has no Records array; pass the SQS event Lambda delivered.");
  }
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const messageId = (record as Partial<SqsRecordFields> | null)?.messageId;
    if (typeof messageId !== "string" || messageId.length === 0) {
      throw new ValidationError(`processSqsBatch: record ${index} has no messageId; pass SQS records as Lambda delivers them.`);
    }
    if (messageId.length > 256) throw new ValidationError(`processSqsBatch: record ${index} has a messageId longer than 256 characters.`);
    if (seen.has(messageId)) {
      throw new ValidationError(`processSqsBatch: messageId ${messageId} appears twice; each record of a batch needs its own.`);
    }
    seen.add(messageId);
  });
  return records;
}

function isFifo(records: readonly SqsRecordFields[], setting: boolean | "auto"): boolean {
  if (setting === true || setting === false) return setting;
  if (setting !== "auto") throw new ValidationError(`processSqsBatch: fifo must be true, false or "auto", got ${String(setting)}.`);
  return records.some((r) => r.eventSourceARN?.endsWith(".fifo") === true || typeof r.attributes?.MessageGroupId === "string");
}
