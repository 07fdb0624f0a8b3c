import { describe, expect, it } from "vitest";
import { minSuccessful } from "../context/batch/completion-helpers.js";
import { ValidationError } from "../errors/validation-error.js";
import type { BackendWrapper } from "../orchestrator/invocation.js";
import type { OperationUpdate } from "../protocol/wire.js";
import { createRetryStrategy, retryPresets } from "../retry/retry-strategy.js";
import { runLocal, type LocalRun } from "../test-support/run-local.js";
import type { DurableContext } from "../types/context.js";
import { JitterStrategy } from "../types/step.js";
import { unmarshallAttributes } from "./dynamodb-attributes.js";
import { kinesisDataJson } from "./kinesis-data.js";
import type { DynamoDbStreamRecord, KinesisStreamRecord } from "./stream-records.js";
import { processDynamoDbStreamBatch, processKinesisBatch, streamBatchResponse } from "./streams.js";

interface Reading {
  device: string;
  value: number;
}

const kinesisRecord = (sequenceNumber: string, partitionKey: string, payload: unknown = { device: partitionKey, value: 1 }): KinesisStreamRecord => ({
  eventSource: "aws:kinesis",
  eventID: `shardId-000000000000:${sequenceNumber}`,
  eventSourceARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/telemetry",
  kinesis: { partitionKey, sequenceNumber, data: Buffer.from(JSON.stringify(payload)).toString("base64") },
});

const ddbRecord = (
  sequenceNumber: string,
  keys: DynamoDbStreamRecord["dynamodb"]["Keys"],
  eventName: "INSERT" | "MODIFY" | "REMOVE",
  newImage?: DynamoDbStreamRecord["dynamodb"]["NewImage"],
): DynamoDbStreamRecord => ({
  eventSource: "aws:dynamodb",
  eventID: `ev-${sequenceNumber}`,
  eventName,
  dynamodb: { SequenceNumber: sequenceNumber, Keys: keys, ...(newImage ? { NewImage: newImage } : {}), StreamViewType: "NEW_IMAGE" },
});

/** A batch of `perKey` records for each key, interleaved as a shard delivers them; sequence numbers 101, 102, … */
function interleaved(keys: readonly string[], perKey: number): KinesisStreamRecord[] {
  const records: KinesisStreamRecord[] = [];
  for (let n = 0; n < perKey; n++) for (const key of keys) records.push(kinesisRecord(String(101 + records.length), key));
  return records;
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Crashes the invocation (like a killed process) right after the first checkpoint matching `when` is stored. */
function crashAfterStored(when: (updates: readonly OperationUpdate[]) => boolean): BackendWrapper {
  let fired = false;
  return (backend, invocation) => ({
    getExecutionState: (request) => backend.getExecutionState(request),
    checkpoint: async (request) => {
      const response = await backend.checkpoint(request);
      if (!fired && when(request.Updates ?? [])) {
        fired = true;
        invocation.crash();
        return new Promise<never>(() => undefined);
      }
      return response;
    },
  });
}

/** `name:status` of the map's item contexts that were checkpointed (the records that ran), in item order. */
const itemsRun = (run: LocalRun, mapName: string): string[] => {
  const map = run.operations.find((op) => op.Name === mapName);
  const position = (id: string) => Number(id.slice(id.lastIndexOf("-") + 1));
  return run.operations
    .filter((op) => op.ParentId === map?.Id && op.Type === "CONTEXT")
    .sort((a, b) => position(a.Id) - position(b.Id))
    .map((op) => `${op.Name}:${op.Status}`);
};

describe("processKinesisBatch", () => {
  it("processes each partition key in order while keys run in parallel up to maxConcurrency", async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const keys = ["dev-a", "dev-b", "dev-c", "dev-d"];
    const records = interleaved(keys, 4);
    const run = await runLocal(
      async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
        processKinesisBatch(
          ctx,
          event,
          (item, record) =>
            item.step("apply", async () => {
              running++;
              peak = Math.max(peak, running);
              log.push(`start ${record.kinesis.partitionKey} ${record.kinesis.sequenceNumber}`);
              // dev-a is slow: without per-key ordering its next record would start while this one runs.
              for (let turn = 0; turn < (record.kinesis.partitionKey === "dev-a" ? 8 : 1); turn++) await yieldTurn();
              log.push(`end ${record.kinesis.partitionKey} ${record.kinesis.sequenceNumber}`);
              running--;
            }),
          { maxConcurrency: 3 },
        ),
      { Records: records },
    );
    expect(run.result).toEqual({ batchItemFailures: [] });
    expect(peak).toBe(3);
    for (const key of keys) {
      const own = log.filter((line) => line.includes(` ${key} `));
      const inOrder = records
        .filter((r) => r.kinesis.partitionKey === key)
        .flatMap((r) => [`start ${key} ${r.kinesis.sequenceNumber}`, `end ${key} ${r.kinesis.sequenceNumber}`]);
      // A key's next record starts only after its previous one ended.
      expect(own).toEqual(inOrder);
    }
    // Keys overlapped: the fast keys finished records while dev-a's first was still running.
    expect(log.indexOf("end dev-b 106")).toBeLessThan(log.indexOf("end dev-a 101"));
    // One child context per record, named by its sequence number, in delivery order.
    expect(itemsRun(run, "kinesis-batch")).toEqual(records.map((r) => `${r.kinesis.sequenceNumber}:SUCCEEDED`));
  });

  it("skips a failed record's later records of the same key and reports the lowest sequence number that did not succeed", async () => {
    const ran: string[] = [];
    // dev-a: 101 ok, 104 fails, 107 must not run. dev-b: all ok. dev-c: 103 ok, 106 fails, 109 must not run.
    const records = interleaved(["dev-a", "dev-b", "dev-c"], 3);
    const run = await runLocal(
      async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
        processKinesisBatch(
          ctx,
          event,
          (item, record) =>
            item.step("apply", async () => {
              ran.push(record.kinesis.sequenceNumber);
              if (record.kinesis.sequenceNumber === "104" || record.kinesis.sequenceNumber === "106") throw new Error("rejected");
              return record.kinesis.sequenceNumber;
            }),
          { retryStrategy: retryPresets.noRetry },
        ),
      { Records: records },
    );
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "104" }] });
    expect([...ran].sort()).toEqual(["101", "102", "103", "104", "105", "106", "108"]);
    // Skipped records write no checkpoint; other keys carried on past the failures.
    expect(itemsRun(run, "kinesis-batch")).toEqual([
      "101:SUCCEEDED",
      "102:SUCCEEDED",
      "103:SUCCEEDED",
      "104:FAILED",
      "105:SUCCEEDED",
      "106:FAILED",
      "108:SUCCEEDED",
    ]);
  });

  it("compares sequence numbers by value, not as text", async () => {
    const records = [kinesisRecord("9", "a"), kinesisRecord("10", "b"), kinesisRecord("11", "c")];
    const run = await runLocal(
      async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
        processKinesisBatch(ctx, event, async (item, record) => {
          if (record.kinesis.sequenceNumber !== "11") throw new Error("bad record");
          return item.step("ok", async () => true);
        }),
      { Records: records },
    );
    // As text "10" < "9"; Lambda compares numbers, so 9 is where the shard restarts.
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "9" }] });
  });

  it("retries a record's steps with retryStrategy before reporting it", async () => {
    const attempts = new Map<string, number>();
    const records = [kinesisRecord("201", "a"), kinesisRecord("202", "b"), kinesisRecord("203", "c")];
    const run = await runLocal(
      async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
        processKinesisBatch(
          ctx,
          event,
          (item, record) =>
            item.step("send", async () => {
              const seq = record.kinesis.sequenceNumber;
              const attempt = (attempts.get(seq) ?? 0) + 1;
              attempts.set(seq, attempt);
              if (seq === "201" && attempt < 3) throw new Error("throttled");
              if (seq === "202") throw new Error("throttled");
              return attempt;
            }),
          { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 10 }, jitter: JitterStrategy.NONE }) },
        ),
      { Records: records },
    );
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "202" }] });
    expect(Object.fromEntries(attempts)).toEqual({ "201": 3, "202": 3, "203": 1 });
    // The back-offs suspended the execution rather than sleeping inside an invocation.
    expect(run.invocations.length).toBeGreaterThan(1);
  });

  it("resumes after a crash mid-batch without running a succeeded record again, and reports the same failure", async () => {
    const runs = new Map<string, number>();
    const records = interleaved(["dev-a", "dev-b", "dev-c"], 3);
    let stepSucceeds = 0;
    const run = await runLocal(
      async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
        processKinesisBatch(
          ctx,
          event,
          (item, record) =>
            item.step("apply", async () => {
              const seq = record.kinesis.sequenceNumber;
              runs.set(seq, (runs.get(seq) ?? 0) + 1);
              if (seq === "105") throw new Error("rejected");
              await yieldTurn();
              return seq;
            }),
          { retryStrategy: retryPresets.noRetry, maxConcurrency: 3 },
        ),
      { Records: records },
      {
        // Dies once four record results are stored, with others in flight.
        wrapBackend: crashAfterStored((updates) => {
          stepSucceeds += updates.filter((u) => u.Type === "STEP" && u.Action === "SUCCEED").length;
          return stepSucceeds >= 4;
        }),
      },
    );
    expect(run.crashes).toBe(1);
    expect(run.invocations.length).toBe(2);
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "105" }] });
    const stored = itemsRun(run, "kinesis-batch");
    expect(stored).toEqual(["101", "102", "103", "104", "105", "106", "107", "109"].map((s) => `${s}:${s === "105" ? "FAILED" : "SUCCEEDED"}`));
    // 108 comes after the failed 105 on dev-b: never run.
    expect(runs.has("108")).toBe(false);
    // A record whose result was stored before the crash never ran again; only one whose body was
    // in flight when the process died (result not stored) may have run twice.
    const succeededBeforeCrash = new Set<string>();
    let seen = 0;
    for (const call of run.checkpointCalls) {
      for (const u of call.Updates ?? []) {
        if (u.Type === "STEP" && u.Action === "SUCCEED" && seen < 4) {
          seen++;
          succeededBeforeCrash.add(u.ParentId ?? "");
        }
      }
      if (seen >= 4) break;
    }
    const nameOf = new Map(run.operations.map((op) => [op.Id, op.Name]));
    expect(succeededBeforeCrash.size).toBe(4);
    for (const parent of succeededBeforeCrash) expect(runs.get(nameOf.get(parent) ?? "")).toBe(1);
  });

  it("runs every record independently with partitionKey: false, or orders by a key of your own", async () => {
    const independent: string[] = [];
    const records = [kinesisRecord("301", "same"), kinesisRecord("302", "same"), kinesisRecord("303", "same")];
    const run = await runLocal(
      async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
        processKinesisBatch(
          ctx,
          event,
          (item, record) =>
            item.step("apply", async () => {
              independent.push(record.kinesis.sequenceNumber);
              if (record.kinesis.sequenceNumber === "301") throw new Error("bad");
            }),
          { partitionKey: false, retryStrategy: retryPresets.noRetry },
        ),
      { Records: records },
    );
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "301" }] });
    expect([...independent].sort()).toEqual(["301", "302", "303"]);

    const byDevice: string[] = [];
    const mixed = [
      kinesisRecord("401", "p1", { device: "x", value: 1 }),
      kinesisRecord("402", "p2", { device: "x", value: -1 }),
      kinesisRecord("403", "p1", { device: "x", value: 3 }),
      kinesisRecord("404", "p2", { device: "y", value: 4 }),
    ];
    const custom = await runLocal(
      async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
        processKinesisBatch(
          ctx,
          event,
          (item, record) =>
            item.step("apply", async () => {
              const reading = kinesisDataJson<Reading>(record);
              if (reading.value < 0) throw new Error("negative");
              byDevice.push(record.kinesis.sequenceNumber);
            }),
          { partitionKey: (record) => kinesisDataJson<Reading>(record).device, retryStrategy: retryPresets.noRetry },
        ),
      { Records: mixed },
    );
    // Ordered by the payload's device: 403 (device x, after the failed 402) is held back although its partition key differs.
    expect(custom.result).toEqual({ batchItemFailures: [{ itemIdentifier: "402" }] });
    expect([...byDevice].sort()).toEqual(["401", "404"]);
  });

  it("acknowledges an empty batch", async () => {
    const run = await runLocal(async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) =>
      processKinesisBatch(ctx, event, async () => 1), { Records: [] });
    expect(run.result).toEqual({ batchItemFailures: [] });
  });
});

describe("processDynamoDbStreamBatch", () => {
  it("orders the records of one item (by Keys, whatever their attribute order) and reports the lowest failed SequenceNumber", async () => {
    const applied: string[] = [];
    const key = (order: string, line: number) => ({ pk: { S: order }, sk: { N: String(line) } });
    const records = [
      ddbRecord("4000000000000000000001", key("o-1", 1), "INSERT", { pk: { S: "o-1" }, sk: { N: "1" }, qty: { N: "2" } }),
      ddbRecord("4000000000000000000002", key("o-2", 1), "INSERT", { pk: { S: "o-2" }, sk: { N: "1" }, qty: { N: "-5" } }),
      // Same item as the first, its Keys attributes in the other order.
      ddbRecord("4000000000000000000003", { sk: { N: "1" }, pk: { S: "o-1" } }, "MODIFY", { pk: { S: "o-1" }, sk: { N: "1" }, qty: { N: "3" } }),
      ddbRecord("4000000000000000000004", key("o-2", 1), "MODIFY", { pk: { S: "o-2" }, sk: { N: "1" }, qty: { N: "1" } }),
      ddbRecord("4000000000000000000005", key("o-1", 1), "REMOVE"),
    ];
    const run = await runLocal(
      async (event: { Records: DynamoDbStreamRecord[] }, ctx: DurableContext) =>
        processDynamoDbStreamBatch(
          ctx,
          event,
          (item, record) =>
            item.step("project", async () => {
              const image = record.dynamodb.NewImage ? unmarshallAttributes(record.dynamodb.NewImage) : undefined;
              if (typeof image?.qty === "number" && image.qty < 0) throw new Error("negative quantity");
              applied.push(`${record.eventName} ${String(image?.pk ?? "-")} ${String(image?.qty ?? "-")}`);
            }),
          { retryStrategy: retryPresets.noRetry },
        ),
      { Records: records },
    );
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: "4000000000000000000002" }] });
    // o-1's three changes in order; o-2's MODIFY never ran after its INSERT failed.
    expect(applied).toEqual(["INSERT o-1 2", "MODIFY o-1 3", "REMOVE - -"]);
    expect(itemsRun(run, "dynamodb-stream-batch").map((s) => s.split(":")[1])).toEqual(["SUCCEEDED", "FAILED", "SUCCEEDED", "SUCCEEDED"]);
  });
});

describe("bad stream events", () => {
  const kinesisCases: Array<[string, unknown, string]> = [
    ["no Records", { records: [] }, "processKinesisBatch: the event has no Records array; pass the Kinesis event Lambda delivered."],
    [
      "a record without a sequence number",
      { Records: [kinesisRecord("1", "a"), { eventSource: "aws:kinesis", kinesis: { partitionKey: "a", data: "" } }] },
      "processKinesisBatch: record 1 has no kinesis.sequenceNumber; it must be the record's sequence number, a string of decimal digits.",
    ],
    [
      "a sequence number that is not digits",
      { Records: [{ kinesis: { partitionKey: "a", sequenceNumber: "abc", data: "" } }] },
      'processKinesisBatch: record 0 has an invalid "abc" as kinesis.sequenceNumber; it must be the record\'s sequence number, a string of decimal digits.',
    ],
    [
      "mixed sources",
      { Records: [kinesisRecord("1", "a"), ddbRecord("2", { id: { S: "x" } }, "INSERT")] },
      "processKinesisBatch: the batch mixes sources — record 0 is a Kinesis record, record 1 a DynamoDB Streams one; a Lambda stream batch comes from one stream.",
    ],
    [
      "a DynamoDB Streams event",
      { Records: [ddbRecord("2", { id: { S: "x" } }, "INSERT")] },
      "processKinesisBatch: record 0 is a DynamoDB Streams record; use processDynamoDbStreamBatch for this event.",
    ],
    [
      "an SQS event",
      { Records: [{ eventSource: "aws:sqs", messageId: "m", body: "{}" }] },
      'processKinesisBatch: record 0 has eventSource "aws:sqs"; expected "aws:kinesis" or "aws:dynamodb".',
    ],
    [
      "a duplicate sequence number",
      { Records: [kinesisRecord("7", "a"), kinesisRecord("7", "b")] },
      "processKinesisBatch: records 0 and 1 have the same sequence number 7; a batch comes from one shard, where sequence numbers are unique.",
    ],
    [
      "a record without a partition key",
      { Records: [{ kinesis: { sequenceNumber: "5", data: "" } }] },
      "processKinesisBatch: record 0 (5) has no kinesis.partitionKey, which orders the batch; pass a partitionKey function (or partitionKey: false) to order by something else.",
    ],
    [
      "a record without data",
      { Records: [{ kinesis: { sequenceNumber: "5", partitionKey: "a" } }] },
      "processKinesisBatch: record 0 (5) has no kinesis.data string (the base64 payload).",
    ],
  ];

  it.each(kinesisCases)("rejects %s before anything is checkpointed", async (_label, event, message) => {
    let handlerRan = false;
    const run = await runLocal(async (input: unknown, ctx: DurableContext) => {
      try {
        await processKinesisBatch(ctx, input as { Records: KinesisStreamRecord[] }, async () => {
          handlerRan = true;
        });
        return "accepted";
      } catch (error) {
        return error instanceof ValidationError ? error.message : `not a ValidationError: ${String(error)}`;
      }
    }, event);
    expect(run.result).toBe(message);
    expect(handlerRan).toBe(false);
    expect(run.checkpointCalls.flatMap((c) => c.Updates ?? [])).toEqual([]);
  });

  it("rejects DynamoDB records without Keys or SequenceNumber, and bad options", async () => {
    const messages = await runLocal(async (_input: unknown, ctx: DurableContext) => {
      const attempt = async (event: unknown, options?: object) => {
        try {
          await processDynamoDbStreamBatch(ctx, event as { Records: DynamoDbStreamRecord[] }, async () => 1, options);
          return "accepted";
        } catch (error) {
          return (error as Error).message;
        }
      };
      return [
        await attempt({ Records: [{ eventSource: "aws:dynamodb", dynamodb: { SequenceNumber: "1" } }] }),
        await attempt({ Records: [{ eventSource: "aws:dynamodb", dynamodb: { Keys: { id: { S: "a" } } } }] }),
        await attempt({ Records: [{ eventSource: "aws:dynamodb" }] }),
        await attempt({ Records: [] }, { partitionKey: "id" }),
      ];
    });
    expect(messages.result).toEqual([
      "processDynamoDbStreamBatch: record 0 (1) has no dynamodb.Keys, which orders the batch by item; pass a partitionKey function (or partitionKey: false) to order by something else.",
      "processDynamoDbStreamBatch: record 0 has no dynamodb.SequenceNumber; it must be the record's sequence number, a string of decimal digits.",
      "processDynamoDbStreamBatch: record 0 has no dynamodb object; pass the records as Lambda delivers them.",
      "processDynamoDbStreamBatch: partitionKey must be a function or false, got string.",
    ]);
    expect(messages.checkpointCalls.flatMap((c) => c.Updates ?? [])).toEqual([]);
  });
});

describe("streamBatchResponse", () => {
  it("reports a record that never started when the map completed early", async () => {
    const records = [kinesisRecord("501", "a"), kinesisRecord("502", "b"), kinesisRecord("503", "c")];
    const run = await runLocal(async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) => {
      const result = await ctx.map("records", event.Records, (item, record) => item.step(async () => record.kinesis.sequenceNumber), {
        maxConcurrency: 1,
        completionConfig: minSuccessful(1),
      });
      return [streamBatchResponse(result, event.Records), result.totalCount];
    }, { Records: records });
    expect(run.result).toEqual([{ batchItemFailures: [{ itemIdentifier: "502" }] }, 1]);
  });

  it("rejects records that are not the ones the map ran over", async () => {
    const run = await runLocal(async (event: { Records: KinesisStreamRecord[] }, ctx: DurableContext) => {
      const result = await ctx.map("records", event.Records, async () => 1);
      try {
        return streamBatchResponse(result, event.Records.slice(1));
      } catch (error) {
        return (error as Error).message;
      }
    }, { Records: [kinesisRecord("1", "a"), kinesisRecord("2", "b")] });
    expect(run.result).toBe(
      "streamBatchResponse: the batch ran over 2 items but 1 records were passed; pass the same records, in the same order, that the map ran over.",
    );
  });
});
