// Handlers typed with @types/aws-lambda, as Lambda projects type them: the batch helpers accept the
// events and records, and their results are the batch responses. `npm run typecheck` (tsc, strict)
// checks this file; @types/aws-lambda is a dev dependency only, so the published types do not need it.
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  DynamoDBStreamHandler,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamHandler,
  KinesisStreamRecord,
  SQSBatchResponse,
  SQSEvent,
  SQSHandler,
  SQSRecord,
} from "aws-lambda";
import { describe, expect, expectTypeOf, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { runLocal } from "../test-support/run-local.js";
import type { DurableContext } from "../types/context.js";
import { unmarshallAttributes } from "./dynamodb-attributes.js";
import { kinesisDataJson } from "./kinesis-data.js";
import { processSqsBatch } from "./sqs.js";
import { processDynamoDbStreamBatch, processKinesisBatch } from "./streams.js";

type HandlerRecord<H extends (event: never, ...rest: never[]) => unknown> = Parameters<H>[0] extends { Records: Array<infer R> } ? R : never;

async function chargeOrder(ctx: DurableContext, record: SQSRecord): Promise<string> {
  return ctx.step("charge", async () => `${record.messageId}:${record.receiptHandle.length}:${record.attributes.ApproximateReceiveCount}`);
}

export const sqsHandler = withDurableExecution(async (event: SQSEvent, ctx): Promise<SQSBatchResponse> => processSqsBatch(ctx, event, chargeOrder));

export const kinesisHandler = withDurableExecution(
  async (event: KinesisStreamEvent, ctx): Promise<KinesisStreamBatchResponse> =>
    processKinesisBatch(ctx, event, async (child, record: KinesisStreamRecord) => {
      const reading = kinesisDataJson<{ device: string }>(record);
      return child.step(`store-${reading.device}`, async () => record.kinesis.sequenceNumber);
    }),
);

export const dynamoDbHandler = withDurableExecution(
  async (event: DynamoDBStreamEvent, ctx): Promise<DynamoDBBatchResponse> =>
    processDynamoDbStreamBatch(ctx, event, async (_child, record: DynamoDBRecord) =>
      record.dynamodb?.NewImage ? unmarshallAttributes(record.dynamodb.NewImage) : undefined,
    ),
);

describe("the batch helpers with @types/aws-lambda", () => {
  it("take the handler types' records and return the batch responses", () => {
    expectTypeOf<HandlerRecord<SQSHandler>>().toEqualTypeOf<SQSRecord>();
    expectTypeOf<HandlerRecord<KinesisStreamHandler>>().toEqualTypeOf<KinesisStreamRecord>();
    expectTypeOf<HandlerRecord<DynamoDBStreamHandler>>().toEqualTypeOf<DynamoDBRecord>();
    expectTypeOf(processSqsBatch<string, SQSRecord>).returns.resolves.toMatchTypeOf<SQSBatchResponse>();
    expectTypeOf(processKinesisBatch<string, KinesisStreamRecord>).returns.resolves.toMatchTypeOf<KinesisStreamBatchResponse>();
    expectTypeOf(processDynamoDbStreamBatch<unknown, DynamoDBRecord>).returns.resolves.toMatchTypeOf<DynamoDBBatchResponse>();
    // The record handler sees the record type the event was typed with, not a narrower one.
    expectTypeOf(processSqsBatch<string, SQSRecord>).parameter(2).parameter(1).toEqualTypeOf<SQSRecord>();
  });

  it("run an SQSEvent shaped as Lambda delivers it", async () => {
    const event: SQSEvent = {
      Records: [
        {
          messageId: "m-1",
          receiptHandle: "rh-1",
          body: '{"order":1}',
          attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "s", ApproximateFirstReceiveTimestamp: "0" },
          messageAttributes: {},
          md5OfBody: "x",
          eventSource: "aws:sqs",
          eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders",
          awsRegion: "eu-west-1",
        },
      ],
    };
    const run = await runLocal((input, ctx) => processSqsBatch(ctx, input as SQSEvent, chargeOrder), event);
    expect(run.result).toEqual({ batchItemFailures: [] });
  });
});
