// Starts orders on the table and prints each one's outcome once a worker has finished it. The
// workers (worker.ts) do the running; this process only starts and watches.
//
//   CAIRN_DYNAMODB_ENDPOINT=http://127.0.0.1:8000 CAIRN_TABLE=cairn node start-orders.js ord-1001 ord-1002
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createCairnClient, createCairnTable } from "@cairn/dynamodb";
import { setTimeout as sleep } from "node:timers/promises";

const endpoint = process.env.CAIRN_DYNAMODB_ENDPOINT;
const client = new DynamoDBClient(
  endpoint
    ? { endpoint, region: process.env.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }
    : {},
);
const tableName = process.env.CAIRN_TABLE ?? "cairn";
await createCairnTable(client, tableName);
const cairn = createCairnClient({ table: { client, tableName } });
const orderIds = process.argv.slice(2);
if (orderIds.length === 0) orderIds.push("ord-1001");
// The order id is the execution name: starting the same order twice returns the same execution.
const started = await Promise.all(orderIds.map((orderId) => cairn.start({ handlerName: "orders", executionName: orderId, input: { orderId } })));
for (const { executionArn } of started) {
  let summary = await cairn.getExecution(executionArn);
  while (summary.status === "RUNNING") {
    await sleep(250);
    summary = await cairn.getExecution(executionArn);
  }
  console.log(`${summary.executionName}: ${summary.status} ${summary.result ?? JSON.stringify(summary.error)}`);
}
client.destroy();
