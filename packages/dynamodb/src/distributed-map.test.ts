// A distributed map on DynamoDB workers: a generated paginated source over child executions that
// two worker processes share, one of them killed with SIGKILL midway. Each item's effect step
// appends `<id> <nonce>` to its process's ledger file before its result is checkpointed; the test
// then checks against the children's stored results that every item was processed once:
// - every item that does not fail for good has exactly one stored effect, and that effect's body
//   ran (its nonce is in a ledger);
// - every other body that ran (a nonce never stored) ran in the killed worker: only work in flight
//   at the kill is redone, nothing the survivor ran or anything checkpointed.
// 20 000 items by default (35 to 70 s on two shared cores; CAIRN_DM_ITEMS sets another count).
// `node testing/bench/run.mjs distributed-map` measures items/s and requests per item without a kill.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { DistributedMapResult } from "@cairn/sdk";
import { afterAll, expect, inject, it } from "vitest";
import { createCairnClient } from "./client.js";
import { buildWorkerChild, spawnWorker } from "./test-support/child-worker.js";
import { isRejected, type DistributedMapRunInput } from "./test-support/distributed-map-run.js";
import { createTestTable } from "./test-support/tables.js";
import { until } from "./test-support/until.js";

const ITEMS = Number(process.env.CAIRN_DM_ITEMS ?? 20_000);
const CHILDREN = 20;
const PAGE_SIZE = 50;
const LEASE_MS = 2_000;
const RUN_TIMEOUT_MS = 120_000;

const processes = new Set<ChildProcess>();
afterAll(() => {
  for (const child of processes) child.kill("SIGKILL");
});

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  /** DynamoDB requests the worker had sent at its latest report. */
  requests: () => number;
  exited: Promise<void>;
}

function startWorker(script: string, tableName: string, ledgerDir: string, workerId: string): WorkerProcess {
  const child = spawnWorker(script, [inject("dynamoDbEndpoint"), tableName, ledgerDir, workerId, String(LEASE_MS)]);
  processes.add(child);
  const exited = new Promise<void>((resolve) => child.on("exit", () => (processes.delete(child), resolve())));
  let requests = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line === "ready") markReady();
    const reported = /requests=(\d+)$/.exec(line);
    if (reported) requests = Number(reported[1]);
  });
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`[${workerId}] ${chunk.toString()}`));
  return { child, ready, requests: () => requests, exited };
}

/** id -> nonces of the bodies that ran, by the worker whose ledger holds them. */
function readLedgers(dir: string): Map<number, { worker: string; nonce: string }[]> {
  const runs = new Map<number, { worker: string; nonce: string }[]>();
  for (const file of readdirSync(dir)) {
    const worker = file.replace(/\.txt$/, "");
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (!line) continue;
      const [id, nonce] = line.split(" ") as [string, string];
      const list = runs.get(Number(id)) ?? [];
      runs.set(Number(id), list);
      list.push({ worker, nonce });
    }
  }
  return runs;
}

function ledgerLines(dir: string): number {
  let lines = 0;
  for (const file of readdirSync(dir)) lines += readFileSync(join(dir, file), "utf8").split("\n").length - 1;
  return lines;
}

it(`processes ${ITEMS} items over ${CHILDREN} children exactly once on two workers, one killed with SIGKILL midway`, async () => {
  const script = await buildWorkerChild(new URL("./test-support/distributed-map-worker.ts", import.meta.url));
  const table = await createTestTable();
  const ledgerDir = mkdtempSync(join(tmpdir(), "cairn-dm-ledger-"));
  const client = createCairnClient({ table });
  const victim = startWorker(script, table.tableName, ledgerDir, "victim");
  const survivor = startWorker(script, table.tableName, ledgerDir, "survivor");
  await Promise.all([victim.ready, survivor.ready]);

  const began = Date.now();
  const input: DistributedMapRunInput = { count: ITEMS, pageSize: PAGE_SIZE, children: CHILDREN };
  const parent = await client.start({ handlerName: "dm", input });

  // Kill the victim once a third of the items ran and it ran some of them itself.
  await until(
    "a third of the items to run with the victim worker among them (are both workers polling the table?)",
    async () => (ledgerLines(ledgerDir) >= ITEMS / 3 && readdirSync(ledgerDir).includes("victim.txt") ? true : undefined),
    RUN_TIMEOUT_MS,
  );
  const victimRequests = victim.requests();
  victim.child.kill("SIGKILL");
  await victim.exited;
  const ranAtKill = ledgerLines(ledgerDir);

  const finished = await until(
    `the distributed map to finish on the surviving worker within ${RUN_TIMEOUT_MS / 1000} s ` +
      `(${ledgerLines(ledgerDir)} of ${ITEMS} item bodies had run when this was asked; ` +
      "a child left RUNNING after the kill means its lease was never taken over)",
    async () => {
      const summary = await client.getExecution(parent.executionArn);
      return summary.status === "RUNNING" ? undefined : summary;
    },
    RUN_TIMEOUT_MS,
  );
  const elapsedMs = Date.now() - began;
  survivor.child.kill("SIGTERM");
  await survivor.exited;

  expect(finished.status).toBe("SUCCEEDED");
  const result = JSON.parse(finished.result!) as DistributedMapResult;
  const rejected = Array.from({ length: ITEMS }, (_, id) => id).filter(isRejected);
  expect(result.counts).toEqual({
    succeeded: ITEMS - rejected.length,
    failed: rejected.length,
    timedOut: 0,
    skipped: 0,
    pending: 0,
    total: ITEMS,
  });
  expect(result.completionReason).toBe("ALL_COMPLETED");
  expect(result.children).toHaveLength(CHILDREN);
  expect(result.children.every((c) => c.status === "SUCCEEDED")).toBe(true);
  expect(result.failedItems.map((f) => f.item)).toEqual(rejected);
  expect(result.failedItems.every((f) => f.status === "FAILED" && f.errorMessage === `item ${String(f.item)} is rejected`)).toBe(true);

  // The parent's history (beside its EXECUTION operation): the map's context and plan, four
  // operations per child, nothing per item.
  const parentOperations = (await client.getOperations(parent.executionArn)).filter((op) => op.Type !== "EXECUTION").length;
  expect(parentOperations).toBe(2 + 4 * CHILDREN);

  // Each child's stored effect results, checked against the bodies the ledgers saw run.
  const children = (await client.listExecutions()).filter((e) => e.executionArn !== parent.executionArn);
  expect(children).toHaveLength(CHILDREN);
  const stored = new Map<number, string[]>();
  for (const child of children) {
    expect(child.status).toBe("SUCCEEDED");
    for (const op of await client.getOperations(child.executionArn)) {
      if (op.Name !== "effect" || op.Status !== "SUCCEEDED") continue;
      const [id, nonce] = (JSON.parse(op.StepDetails!.Result!) as string).split(" ") as [string, string];
      stored.set(Number(id), [...(stored.get(Number(id)) ?? []), nonce]);
    }
  }
  // The kill landed mid-partition: an invocation of the victim's was taken over after its lease ran out.
  let takeovers = 0;
  for (const child of children) {
    for (const event of await client.getHistory(child.executionArn)) {
      if (event.InvocationCompletedDetails?.Error?.Payload?.ErrorType === "Invocation.Abandoned") takeovers++;
    }
  }
  expect(takeovers).toBeGreaterThan(0);
  const runs = readLedgers(ledgerDir);
  let repeated = 0;
  const misplaced: string[] = [];
  for (let id = 0; id < ITEMS; id++) {
    const bodies = runs.get(id) ?? [];
    if (isRejected(id)) {
      expect(stored.has(id), `rejected item ${id} has no stored effect`).toBe(false);
      continue;
    }
    const nonces = stored.get(id) ?? [];
    expect(nonces, `item ${id}: one stored effect`).toHaveLength(1);
    expect(bodies.map((b) => b.nonce), `item ${id}: its stored effect's body ran`).toContain(nonces[0]);
    for (const body of bodies) {
      if (body.nonce === nonces[0]) continue;
      repeated++;
      if (body.worker !== "victim") misplaced.push(`${id} ${body.worker}`);
    }
  }
  // A body whose result was not stored can only be one the victim was running when it was killed.
  expect(misplaced, "bodies run again although not in flight at the kill").toEqual([]);

  const requests = victimRequests + survivor.requests();
  console.log(
    `distributed map on DynamoDB Local: ${ITEMS} items (${rejected.length} failing) over ${CHILDREN} children on 2 workers in ${elapsedMs} ms ` +
      `(${Math.round((ITEMS / elapsedMs) * 1000)} items/s), victim killed after ${ranAtKill} item bodies ran, ${takeovers} of its child invocations taken over; ` +
      `${repeated} bodies in flight at the kill ran again (unstored); parent operations ${parentOperations}; ` +
      `worker DynamoDB requests at least ${requests} (${(requests / ITEMS).toFixed(2)} per item, polling included; the victim's up to 100 ms before the kill)`,
  );
  await table.drop();
}, RUN_TIMEOUT_MS * 2 + 30_000);
