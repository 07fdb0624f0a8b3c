// The default retry policy of steps in queue and stream record handlers, through processSqsBatch
// and processKinesisBatch as a handler uses them.
import type { KinesisStreamEvent, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { retryPresets } from "../retry/retry-strategy.js";
import { runLocal, type LocalRun } from "../test-support/run-local.js";
import type { DurableContext } from "../types/context.js";
import { kinesisDataJson } from "./kinesis-data.js";
import { recordRetryStrategy } from "./record-retry.js";
import { processSqsBatch } from "./sqs.js";
import { processKinesisBatch } from "./streams.js";

const sqsRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "s", ApproximateFirstReceiveTimestamp: "0" },
  messageAttributes: {},
  md5OfBody: "x",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders",
  awsRegion: "eu-west-1",
});

/** The retry delays the history records for failed step attempts, in order. */
function retries(run: LocalRun): { delays: number[] } {
  const delays = run.history
    .filter((event) => event.EventType === "StepFailed" && event.StepFailedDetails?.RetryDetails?.NextAttemptDelaySeconds !== undefined)
    .map((event) => event.StepFailedDetails?.RetryDetails?.NextAttemptDelaySeconds as number);
  return { delays };
}

describe("the default retry of steps in record handlers", () => {
  it("does not retry a record whose body is not JSON, and the queue gets it back at once", async () => {
    const attempts = new Map<string, number>();
    const parseOrder = async (ctx: DurableContext, record: SQSRecord) =>
      ctx.step("parse", async () => {
        attempts.set(record.messageId, (attempts.get(record.messageId) ?? 0) + 1);
        return JSON.parse(record.body) as { total: number };
      });
    const event: SQSEvent = { Records: [sqsRecord("good", '{"total":3}'), sqsRecord("malformed", "{total: 3")] };
    const run = await runLocal((input, ctx) => processSqsBatch(ctx, input as SQSEvent, parseOrder), event);
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "malformed" }] });
    expect(attempts.get("malformed")).toBe(1);
    expect(retries(run).delays).toEqual([]);
    expect(run.invocations).toHaveLength(1);
  });

  it("retries any other failure twice, 1 s then 2 s later, before reporting the record", async () => {
    let attempts = 0;
    const event: SQSEvent = { Records: [sqsRecord("flaky", "{}")] };
    const run = await runLocal(
      (input, ctx) =>
        processSqsBatch(ctx, input as SQSEvent, async (child) =>
          child.step("call-payments", async () => {
            attempts++;
            throw new Error("ECONNRESET");
          }),
        ),
      event,
    );
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "flaky" }] });
    expect(attempts).toBe(3);
    expect(retries(run).delays).toEqual([1, 2]);
  });

  it("applies to stream batches too: a payload that does not decode is not retried", async () => {
    let attempts = 0;
    const event: KinesisStreamEvent = {
      Records: [
        {
          awsRegion: "eu-west-1",
          eventID: "shardId-0:101",
          eventName: "aws:kinesis:record",
          eventSource: "aws:kinesis",
          eventSourceARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/telemetry",
          eventVersion: "1.0",
          invokeIdentityArn: "arn:aws:iam::123456789012:role/r",
          kinesis: { approximateArrivalTimestamp: 0, data: "not base64!", kinesisSchemaVersion: "1.0", partitionKey: "d-1", sequenceNumber: "101" },
        },
      ],
    };
    const run = await runLocal(
      (input, ctx) =>
        processKinesisBatch(ctx, input as KinesisStreamEvent, async (child, record) =>
          child.step("decode", async () => {
            attempts++;
            return kinesisDataJson(record);
          }),
        ),
      event,
    );
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "101" }] });
    expect(attempts).toBe(1);
  });

  it("gives way to a retryStrategy on the options or on the step", async () => {
    const counts = { options: 0, step: 0 };
    const event: SQSEvent = { Records: [sqsRecord("m-1", "{}")] };
    await runLocal(
      (input, ctx) =>
        processSqsBatch(
          ctx,
          input as SQSEvent,
          async (child) => {
            await child
              .step("own", async () => {
                counts.step++;
                throw new Error("down");
              }, { retryStrategy: retryPresets.noRetry })
              .catch(() => undefined);
            return child.step("inherited", async () => {
              counts.options++;
              throw new Error("down");
            });
          },
          { retryStrategy: (_error, attemptsMade) => ({ shouldRetry: attemptsMade < 5, delay: { seconds: 1 } }) },
        ),
      event,
    );
    expect(counts).toEqual({ options: 5, step: 1 });
  });

  it("decides by error name, so an error rebuilt from a checkpoint is treated the same", () => {
    const rebuilt = Object.assign(new Error("Unexpected token"), { name: "SyntaxError" });
    expect(recordRetryStrategy(rebuilt, 1)).toEqual({ shouldRetry: false });
    expect(recordRetryStrategy(new Error("timeout"), 1)).toEqual({ shouldRetry: true, delay: { seconds: 1 } });
    expect(recordRetryStrategy(new Error("timeout"), 2)).toEqual({ shouldRetry: true, delay: { seconds: 2 } });
    expect(recordRetryStrategy(new Error("timeout"), 3)).toEqual({ shouldRetry: false });
  });
});
