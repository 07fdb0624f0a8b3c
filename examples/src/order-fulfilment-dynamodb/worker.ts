// One worker process of the order-fulfilment example on DynamoDB: runs every due order on the
// table until SIGTERM, then finishes the invocations in flight and exits. Start as many as you
// like, on as many hosts as you like; they share the table safely.
//
//   CAIRN_DYNAMODB_ENDPOINT=http://127.0.0.1:8000 CAIRN_TABLE=cairn node worker.js [worker-id]
//
// Without CAIRN_DYNAMODB_ENDPOINT the AWS SDK's usual configuration (region, credentials) is used.
// CAIRN_LEASE_MS shortens the lease (default 60 s): how long a dead worker's orders wait.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createWorker } from "@cairn/dynamodb";
import { handler as orders } from "../order-fulfilment/handler.js";

const endpoint = process.env.CAIRN_DYNAMODB_ENDPOINT;
const client = new DynamoDBClient(
  endpoint
    ? { endpoint, region: process.env.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
    : {},
);
const workerId = process.argv[2];
const worker = createWorker({
  table: { client, tableName: process.env.CAIRN_TABLE ?? "cairn" },
  handlers: { orders },
  concurrency: 4,
  ...(process.env.CAIRN_LEASE_MS ? { leaseMs: Number(process.env.CAIRN_LEASE_MS) } : {}),
  pollIntervalMs: 200,
  ...(workerId ? { workerId } : {}),
  onInvocation: (record, execution) =>
    console.log(JSON.stringify({ worker: worker.workerId, order: execution.executionName, status: execution.status, outcome: record.outcome.kind })),
  onError: (error, executionArn) => console.error(JSON.stringify({ worker: worker.workerId, executionArn, error: String(error) })),
});
worker.start();
console.log(JSON.stringify({ worker: worker.workerId, ready: true }));
process.once("SIGTERM", () => void worker.stop().then(() => process.exit(0)));
process.once("SIGINT", () => void worker.stop().then(() => process.exit(0)));
