// The distributed-map group: one ctx.distributedMap over N generated items (a paginated source,
// never held in memory) split over child executions, on Cairn's memory store, its file store and
// DynamoDB Local, printing items/s (median of the runs) and, on DynamoDB, requests per item.
//
//   node run.mjs distributed-map [--items 20000] [--children 20] [--runs 3] [--stores memory,file,dynamodb]
//
// Memory and file stores: runExecution in this process, the handler registered under its own
// function name so the children are chained invokes of it (as the CLI runs a handler). DynamoDB:
// createCairnClient().start and a started worker (createWorker, concurrency 8) in this process on
// a fresh table per run; every request the worker sends goes through a DynamoDBClient whose
// middleware counts them by command, polling for due work included. The client that starts the run
// and watches for its end has a client of its own, not counted.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createCairnClient, createCairnTable, createWorker } from "@cairn/dynamodb";
import { defineDistributedMap, withDurableExecution } from "@cairn/sdk";
import { runExecution, systemClock } from "@cairn/sdk/orchestrator";
import { CheckpointService, FileExecutionStore, MemoryExecutionStore } from "@cairn/sdk/service";
import { readArgs } from "./cli-args.mjs";
import { now, sleep } from "./clock.mjs";
import { startDynamoDbLocal } from "./stores/dynamodb-local.mjs";
import { countRequests, table } from "./stores/format.mjs";
import { median } from "./stores/stats.mjs";

const FUNCTION_NAME = "dm-bench";
const PAGE_SIZE = 100;
const ALL_STORES = ["memory", "file", "dynamodb"];
const RUN_DEADLINE_MS = 10 * 60_000;
const usage = "usage: node run.mjs distributed-map [--items N] [--children N] [--runs N] [--stores memory,file,dynamodb]";

// Item i is { id: i }; each child reads a contiguous id range, a page of PAGE_SIZE at a time, and
// runs one step per item.
const generated = defineDistributedMap("bench-generated", {
  source: (params) => ({
    readPage: async (cursor) => {
      const at = cursor ?? { next: 0, end: params.count };
      const stop = Math.min(at.end, at.next + PAGE_SIZE);
      const items = Array.from({ length: stop - at.next }, (_, k) => ({ id: at.next + k }));
      return { items, nextCursor: stop < at.end ? { next: stop, end: at.end } : undefined };
    },
    partitions: (count) => {
      const size = Math.ceil(params.count / count);
      return Array.from({ length: count }, (_, p) => ({ next: p * size, end: Math.min(params.count, (p + 1) * size) }));
    },
  }),
  itemHandler: async (item, ctx) => ctx.step("effect", async () => item.id),
  maxConcurrency: 25,
});

const handler = withDurableExecution(async (event, ctx) =>
  ctx.distributedMap(generated, { params: { count: event.count }, partitions: event.children, maxChildExecutions: event.children }),
);

function parseArgs(argv) {
  const options = { items: 20_000, children: 20, runs: 3, stores: ALL_STORES };
  const whole = (flag, text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number > 0, got ${text}\n${usage}`);
    return n;
  };
  readArgs(argv, usage, (arg, value) => {
    if (arg === "--items") options.items = whole(arg, value());
    else if (arg === "--children") options.children = whole(arg, value());
    else if (arg === "--runs") options.runs = whole(arg, value());
    else if (arg === "--stores") options.stores = value().split(",");
    else return false;
  });
  for (const store of options.stores) if (!ALL_STORES.includes(store)) throw new Error(`unknown store ${store}; one of ${ALL_STORES.join(", ")}`);
  return options;
}

/** Throws unless the run's summary counts every item, all succeeded. */
function checkSummary(store, summary, items) {
  const counts = summary?.counts;
  if (counts?.succeeded !== items || counts.total !== items) {
    throw new Error(`${store}: expected ${items} items to succeed, the summary says ${JSON.stringify(counts)}`);
  }
}

async function runLocal(kind, options) {
  const directory = kind === "file" ? mkdtempSync(join(tmpdir(), "cairn-bench-dm-")) : undefined;
  try {
    const store = directory ? new FileExecutionStore(directory) : new MemoryExecutionStore();
    const service = new CheckpointService({ store, clock: systemClock });
    const began = now();
    const { state, execution } = await runExecution({
      service,
      clock: systemClock,
      handler,
      functionName: FUNCTION_NAME,
      functions: new Map([[FUNCTION_NAME, { durable: true, handler }]]),
      target: { start: { input: JSON.stringify({ count: options.items, children: options.children }) } },
    });
    const ms = now() - began;
    if (state !== "completed" || execution.status !== "SUCCEEDED") {
      throw new Error(`${kind}: the run ended ${state}/${execution.status}${execution.error ? `: ${execution.error.ErrorMessage}` : ""}`);
    }
    checkSummary(kind, JSON.parse(execution.result), options.items);
    const parentOperations = (await service.getOperations(execution.executionArn)).filter((op) => op.Type !== "EXECUTION").length;
    return { ms, parentOperations };
  } finally {
    if (directory) rmSync(directory, { recursive: true, force: true });
  }
}

function dynamoDbRunner(endpoint) {
  const config = { endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
  return async (options) => {
    const workerClient = new DynamoDBClient(config);
    const counts = countRequests(workerClient);
    const observerClient = new DynamoDBClient(config);
    const tableName = `cairn-bench-dm-${randomUUID().slice(0, 8)}`;
    await createCairnTable(observerClient, tableName);
    const errors = [];
    let parentArn;
    let ended;
    const cairn = createCairnClient({ table: { client: observerClient, tableName } });
    const worker = createWorker({
      table: { client: workerClient, tableName },
      handlers: { [FUNCTION_NAME]: handler },
      concurrency: 8,
      pollIntervalMs: 50,
      onError: (error, arn) => errors.push(`${arn ?? ""} ${error instanceof Error ? error.message : String(error)}`),
      onInvocation: (_record, execution) => {
        if (execution.executionArn === parentArn && execution.status !== "RUNNING") ended = execution;
      },
    });
    try {
      worker.start();
      const began = now();
      parentArn = (await cairn.start({ handlerName: FUNCTION_NAME, input: { count: options.items, children: options.children } })).executionArn;
      const deadline = began + RUN_DEADLINE_MS;
      while (!ended) {
        if (errors.length > 0) throw new Error(`dynamodb: the worker reported: ${errors.slice(0, 3).join("; ")}`);
        if (now() > deadline) throw new Error(`dynamodb: the run had not ended after ${RUN_DEADLINE_MS / 1000} s`);
        await sleep(20);
      }
      const ms = now() - began;
      if (ended.status !== "SUCCEEDED") throw new Error(`dynamodb: the run ended ${ended.status}${ended.error ? `: ${ended.error.ErrorMessage}` : ""}`);
      checkSummary("dynamodb", JSON.parse(ended.result), options.items);
      const parentOperations = (await cairn.getOperations(parentArn)).filter((op) => op.Type !== "EXECUTION").length;
      return { ms, parentOperations, requests: counts.total, byCommand: counts.byCommand };
    } finally {
      await worker.stop();
      await observerClient.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      observerClient.destroy();
      workerClient.destroy();
    }
  };
}

/** Entry point of `node run.mjs distributed-map ...`; resolves with the exit code. */
export async function runDistributedMapBench(argv) {
  const options = parseArgs(argv);
  let local;
  const rows = [["store", "items/s (median)", "runs (ms)", "parent ops", "requests/item", "requests by command (per item)"]];
  let failed = false;
  try {
    for (const store of options.stores) {
      let run;
      if (store === "dynamodb") {
        local = await startDynamoDbLocal();
        run = dynamoDbRunner(local.endpoint);
      } else {
        run = (o) => runLocal(store, o);
      }
      try {
        const results = [];
        for (let i = 0; i < options.runs; i++) results.push(await run(options));
        const perItem = (n) => (n / options.items).toFixed(2);
        const requests = results.filter((r) => r.requests !== undefined);
        const byCommand = requests.length === 0 ? {} : results[0].byCommand;
        rows.push([
          store,
          Math.round((options.items / median(results.map((r) => r.ms))) * 1000),
          results.map((r) => r.ms.toFixed(0)).join(" "),
          results[0].parentOperations,
          requests.length === 0 ? "-" : perItem(median(requests.map((r) => r.requests))),
          Object.entries(byCommand)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, n]) => `${name} ${perItem(n)}`)
            .join(", ") || "-",
        ]);
      } catch (error) {
        failed = true;
        rows.push([store, "error", error instanceof Error ? error.message : String(error), "-", "-", "-"]);
      }
    }
  } finally {
    await local?.stop();
  }
  console.log(
    `\n## Distributed map: ${options.items} generated items over ${options.children} children, pages of ${PAGE_SIZE}, ` +
      `25 items at once per child, one step per item (${options.runs} runs per store)\n`,
  );
  console.log(table(rows, 1));
  console.log(
    "\nrequests/item: DynamoDB requests of the worker (median run) over the items, polling for due work included; " +
      "by command: the first run's.",
  );
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${availableParallelism()} cores at the end`);
  return failed ? 1 : 0;
}
