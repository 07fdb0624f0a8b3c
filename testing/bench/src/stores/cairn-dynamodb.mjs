// Cairn on DynamoDB Local through @cairn/dynamodb, as a deployment runs it: a client starts the
// executions and a worker (createWorker) runs them. The worker is driven with runOnce, as a
// scheduled function would: it claims everything due, runs it and returns, so no poll interval
// sits between a start and its first invocation. Every DynamoDB request of the client and the
// worker goes through one DynamoDBClient whose middleware counts them by command.
//
// When a runOnce pass finds nothing due while executions are still running (they wait on a timer),
// the driver pauses IDLE_POLL_MS before the next pass, as a started worker with that
// pollIntervalMs would. The requests of such passes are counted (a worker pays them too) and also
// reported on their own as `idlePolls`.
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createCairnClient, createCairnTable, createWorker } from "@cairn/dynamodb";
import { sleep } from "../clock.mjs";
import { cairnHandlers } from "./cairn-handlers.mjs";
import { startDynamoDbLocal } from "./dynamodb-local.mjs";
import { countRequests } from "./format.mjs";

/** The pause between passes that found nothing due: a wait ends at most this late. */
const IDLE_POLL_MS = 100;
/** How long one runMany may take before it is reported as stuck. */
const RUN_DEADLINE_MS = 10 * 60_000;

/**
 * @param {{ maxExecutions: number }} options  the most executions a workload starts at once: the
 *   worker runs that many invocations at a time, as the memory and file stores do
 * @returns {import("./store-driver.mjs").StoreDriver}
 */
export function cairnDynamoDbDriver(options) {
  let local;
  let client;
  let tableName;
  let cairn;
  let worker;
  const errors = [];
  /** Each execution's summary after its last invocation, by ARN. */
  const finished = new Map();
  const counts = { total: 0, byCommand: {}, idlePolls: 0, idlePollRequests: 0 };
  return {
    name: "dynamodb",
    describe: () =>
      `Cairn, @cairn/dynamodb on DynamoDB Local (${local?.endpoint ?? "not started"}, in memory); ` +
      `createCairnClient().start + createWorker({ concurrency: ${options.maxExecutions} }).runOnce(), ` +
      `again every ${IDLE_POLL_MS} ms while executions wait`,
    processes: () => (local?.pid ? [{ what: "DynamoDB Local (java)", pid: local.pid }] : []),
    requests: () => ({ ...counts, byCommand: { ...counts.byCommand } }),
    async setup() {
      local = await startDynamoDbLocal();
      client = new DynamoDBClient({
        endpoint: local.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      countRequests(client, counts);
      tableName = `cairn-bench-${randomUUID().slice(0, 8)}`;
      const table = { client, tableName };
      await createCairnTable(client, tableName);
      cairn = createCairnClient({ table });
      worker = createWorker({
        table,
        handlers: cairnHandlers,
        concurrency: options.maxExecutions,
        onError: (error, executionArn) => errors.push(`${executionArn ?? ""} ${error instanceof Error ? error.message : String(error)}`),
        onInvocation: (_record, execution) => {
          if (execution.status !== "RUNNING") finished.set(execution.executionArn, execution);
        },
      });
    },
    async runMany(handler, size, count) {
      const started = await Promise.all(Array.from({ length: count }, () => cairn.start({ handlerName: handler, input: { size } })));
      const deadline = Date.now() + RUN_DEADLINE_MS;
      // One runOnce normally handles them all; another pass picks up any the due index had not
      // shown yet.
      while (started.some((s) => !finished.has(s.executionArn))) {
        if (errors.length > 0) throw new Error(`the worker reported: ${errors.slice(0, 3).join("; ")}`);
        if (Date.now() > deadline) throw new Error(`executions not finished after ${RUN_DEADLINE_MS / 1000} s`);
        // runOnce returns only once every invocation it started has ended, so the requests sent
        // during a pass that handled nothing are that pass's own.
        const before = counts.total;
        const { handled } = await worker.runOnce();
        if (handled === 0) {
          counts.idlePolls++;
          counts.idlePollRequests += counts.total - before;
          await sleep(IDLE_POLL_MS);
        }
      }
      return started.map(({ executionArn }) => {
        const execution = finished.get(executionArn);
        finished.delete(executionArn);
        if (execution.status !== "SUCCEEDED") {
          throw new Error(`execution ${executionArn} ended ${execution.status}${execution.error ? `: ${execution.error.ErrorMessage}` : ""}`);
        }
        return JSON.parse(execution.result ?? "null");
      });
    },
    async teardown() {
      if (client && tableName) await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client?.destroy();
      await local?.stop();
    },
  };
}
