// A worker process running a distributed map, for the kill -9 test of distributed-map.test.ts.
// Bundled with esbuild by the test (buildWorkerChild):
//   node distributed-map-worker.mjs <endpoint> <table> <ledgerDir> <workerId> <leaseMs>
//
// The parent and its children run under one handler name ("dm"): the children are chained invokes
// of the function's own name, which on a worker is the handler name the execution was started with.
// Every item's effect step appends `<id> <nonce>` to this process's own ledger file before its
// result is checkpointed, so the test can tell which bodies ran, where, and which result was stored.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { defineDistributedMap, withDurableExecution } from "@cairn/sdk";
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createWorker } from "../worker.js";
import { isRejected, type DistributedMapRunInput } from "./distributed-map-run.js";

const [endpoint, tableName, ledgerDir, workerId, leaseMs] = process.argv.slice(2) as [string, string, string, string, string];
const ledger = join(ledgerDir, `${workerId}.txt`);

/** Item i is { id: i }; each partition is a contiguous id range, read a page at a time. */
const generated = defineDistributedMap("ddb-generated", {
  source: (params: { count: number; pageSize: number }) => ({
    readPage: async (cursor: { next: number; end: number } | undefined) => {
      const at = cursor ?? { next: 0, end: params.count };
      const stop = Math.min(at.end, at.next + params.pageSize);
      const items = Array.from({ length: stop - at.next }, (_, k) => ({ id: at.next + k }));
      return { items, nextCursor: stop < at.end ? { next: stop, end: at.end } : undefined };
    },
    partitions: (count: number) => {
      const size = Math.ceil(params.count / count);
      return Array.from({ length: count }, (_, p) => ({ next: p * size, end: Math.min(params.count, (p + 1) * size) }));
    },
  }),
  itemHandler: async (item: { id: number }, ctx) =>
    ctx.step(
      "effect",
      async () => {
        if (isRejected(item.id)) throw new Error(`item ${item.id} is rejected`);
        const nonce = randomUUID();
        appendFileSync(ledger, `${item.id} ${nonce}\n`);
        // A body takes a moment after its effect, so a kill can land between the two.
        await sleep(20);
        return `${item.id} ${nonce}`;
      },
      { retryStrategy: () => ({ shouldRetry: false }) },
    ),
  maxConcurrency: 25,
  itemId: (item) => item.id,
});

const dm = withDurableExecution(async (input: DistributedMapRunInput, ctx) =>
  ctx.distributedMap(generated, {
    params: { count: input.count, pageSize: input.pageSize },
    partitions: input.children,
    maxChildExecutions: input.children,
    // A few items fail for good; the map still runs every partition to its end.
    completionConfig: { toleratedFailurePercentage: 5 },
  }),
);

const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
// Every DynamoDB request this process sends, reported every 100 ms and after each invocation: a
// killed worker's last report is what it had sent by then, give or take 100 ms.
let requests = 0;
client.middlewareStack.add(
  (next) => async (args) => {
    requests++;
    return next(args);
  },
  { step: "initialize", name: "countRequests" },
);
const worker = createWorker({
  table: { client, tableName },
  handlers: { dm },
  concurrency: 4,
  leaseMs: Number(leaseMs),
  pollIntervalMs: 50,
  workerId,
  onInvocation: (_record, execution) => console.log(`invocation ${execution.executionName} ${execution.status} requests=${requests}`),
  onError: (error, arn) => console.error(`error ${arn ?? ""} ${error instanceof Error ? error.message : String(error)}`),
});
worker.start();
console.log("ready");
setInterval(() => console.log(`requests=${requests}`), 100).unref();
process.on("SIGTERM", () => {
  void worker.stop().then(() => {
    console.log(`requests=${requests}`);
    process.exit(0);
  });
});
