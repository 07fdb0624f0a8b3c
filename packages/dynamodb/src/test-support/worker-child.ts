// A worker in its own process, for kill -9 tests. Bundled with esbuild by the test.
//   node worker-child.mjs <endpoint> <table> <ledger> <workerId> <leaseMs> [pollIntervalMs]
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createWorker } from "../worker.js";
import { ledgerHandler } from "./ledger-workflow.js";

const [endpoint, tableName, ledger, workerId, leaseMs, pollIntervalMs = "50"] = process.argv.slice(2) as [string, string, string, string, string, string?];
const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
// Counts every DynamoDB request this process sends, by command, for the load test's requests per
// operation.
let requests = 0;
const byCommand: Record<string, number> = {};
client.middlewareStack.add(
  (next, context) => async (args) => {
    requests++;
    const name = (context as { commandName?: string }).commandName ?? "unknown";
    byCommand[name] = (byCommand[name] ?? 0) + 1;
    return next(args);
  },
  { step: "initialize", name: "countRequests" },
);
const worker = createWorker({
  table: { client, tableName },
  handlers: { ledger: ledgerHandler(ledger) },
  concurrency: 4,
  leaseMs: Number(leaseMs),
  pollIntervalMs: Number(pollIntervalMs),
  workerId,
  onInvocation: (record, execution) => console.log(`invocation ${execution.executionName} ${execution.status} ${record.outcome.kind} requests=${requests}`),
  onError: (error, arn) => console.error(`error ${arn ?? ""} ${error instanceof Error ? error.message : String(error)}`),
});
worker.start();
console.log("ready");
process.on("SIGTERM", () => {
  void worker.stop().then(() => {
    console.log(`requests=${requests} ${JSON.stringify(byCommand)}`);
    process.exit(0);
  });
});
