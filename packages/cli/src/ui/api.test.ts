// The web view's JSON API against a real file store holding executions the built CLI ran.
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../test-support/spawn-cli.js";
import { fileUiDataSource } from "./data-source.js";
import { startUiServer, type UiServer } from "./server.js";
import { RETRY_WAIT_MAP, runToEnd, startWaiting } from "./test-support/ui-store.js";
import type { ExecutionListItem, ExecutionView } from "./view-types.js";

let dir: { path: string; cleanup: () => void };
let store: string;
let server: UiServer;
let retried: string;
let waiting: { id: string; callbackId: string };

beforeAll(async () => {
  dir = tempDir("cairn-ui-api-");
  store = join(dir.path, "store");
  retried = await runToEnd(store, RETRY_WAIT_MAP, '{"note":"</script><b>x</b>"}');
  waiting = await startWaiting(store, dir.path);
  server = await startUiServer(fileUiDataSource(store), { port: 0 });
}, 60_000);

afterAll(async () => {
  await server?.close();
  dir?.cleanup();
});

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, server.url));
  return { status: response.status, body: (await response.json()) as T };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, server.url), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A raw request, for headers fetch will not let a caller set (Host). */
function rawRequest(options: { path: string; method?: string; headers: Record<string, string> }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, path: options.path, method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("GET /api/executions", () => {
  it("lists the store's executions, newest first, with status, invocations and handler", async () => {
    const { status, body } = await getJson<ExecutionListItem[]>("/api/executions");
    expect(status).toBe(200);
    expect(body.map((item) => item.id)).toEqual([waiting.id, retried]);
    const done = body[1] as ExecutionListItem;
    expect(done.status).toBe("SUCCEEDED");
    expect(done.invocationCount).toBe(4);
    expect(done.handler).toBe(RETRY_WAIT_MAP);
    expect(done.endTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body[0]?.status).toBe("RUNNING");
    expect(body[0]?.endTimestamp).toBeUndefined();
  });

  it("filters by status (any case, several separated by commas) and refuses an unknown one", async () => {
    expect((await getJson<ExecutionListItem[]>("/api/executions?status=RUNNING")).body.map((i) => i.id)).toEqual([waiting.id]);
    expect((await getJson<ExecutionListItem[]>("/api/executions?status=succeeded")).body.map((i) => i.id)).toEqual([retried]);
    expect((await getJson<ExecutionListItem[]>("/api/executions?status=FAILED,RUNNING")).body.map((i) => i.id)).toEqual([waiting.id]);
    const bad = await getJson<{ error: string; code: string }>("/api/executions?status=DONE");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('"DONE" is not a status');
  });
});

describe("GET /api/executions/:id", () => {
  it("returns the summary, every operation, the history, the invocations and the tree", async () => {
    const { status, body } = await getJson<ExecutionView>(`/api/executions/${retried}`);
    expect(status).toBe(200);
    expect(body.status).toBe("SUCCEEDED");
    expect(body.result).toEqual({ fetched: { ok: true }, doubled: [2, 4, 6], note: "</script><b>x</b>" });
    const step = body.operations.find((op) => op.Name === "flaky-fetch");
    expect(step?.StepDetails?.Attempt).toBe(3);
    expect(body.operations.filter((op) => op.Type !== "EXECUTION")).toHaveLength(9);
    expect(body.history.filter((e) => e.EventType === "StepFailed" && e.Id === step?.Id)).toHaveLength(2);
    expect(body.invocations).toHaveLength(4);
    for (const invocation of body.invocations) expect(Date.parse(invocation.end)).toBeGreaterThanOrEqual(Date.parse(invocation.start));
    expect(body.treeLines.join("\n")).toMatch(/flaky-fetch\s+1\s+STEP\/Step\s+SUCCEEDED\s+3/);
  });

  it("finds an execution by its name too, and lists a waiting callback with its id", async () => {
    const { body } = await getJson<ExecutionView>(`/api/executions/${waiting.id.toLowerCase()}`);
    expect(body.id).toBe(waiting.id);
    expect(body.callbacks).toEqual([{ operationId: "1-1", name: "manager-approval", status: "STARTED", callbackId: waiting.callbackId }]);
  });

  it("answers 404 with a JSON error for an unknown id", async () => {
    const { status, body } = await getJson<{ error: string; code: string }>("/api/executions/NOPE");
    expect(status).toBe(404);
    expect(body).toEqual({ error: expect.stringContaining('No execution "NOPE"'), code: "ExecutionNotFound" });
  });
});

describe("requests from elsewhere", () => {
  it("refuses a Host that is not loopback (DNS rebinding), on the API and the page", async () => {
    for (const path of ["/api/executions", "/"]) {
      const refused = await rawRequest({ path, headers: { host: `attacker.example:${server.port}` } });
      expect(refused.status, path).toBe(403);
      expect(JSON.parse(refused.body).error).toContain('Host "attacker.example');
    }
    const allowed = await rawRequest({ path: "/api/executions", headers: { host: `localhost:${server.port}` } });
    expect(allowed.status).toBe(200);
  });

  it("refuses a cross-origin or cross-site POST, and one that is not JSON, before touching the callback", async () => {
    const path = `/api/callbacks/${waiting.callbackId}/heartbeat`;
    expect((await post(path, {}, { origin: "https://attacker.example" })).status).toBe(403);
    expect((await post(path, {}, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    const form = await fetch(new URL(path, server.url), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" });
    expect(form.status).toBe(415);
    const same = await post(path, {}, { origin: server.url.replace(/\/$/, "") });
    expect(same.status).toBe(200);
  });
});

describe("POST /api/callbacks/:id/:action", () => {
  it("validates the action and the body, naming what is wrong", async () => {
    const path = (action: string) => `/api/callbacks/${waiting.callbackId}/${action}`;
    expect((await post(path("approve"), {})).status).toBe(404);
    const notJson = await post(path("succeed"), "{nope");
    expect([notJson.status, notJson.body.error]).toEqual([400, expect.stringContaining("not valid JSON")]);
    const wrongField = await post(path("succeed"), { error: { ErrorMessage: "x" } });
    expect([wrongField.status, wrongField.body.error]).toEqual([400, expect.stringContaining('unexpected field "error"')]);
    const badError = await post(path("fail"), { error: { ErrorMessage: 42 } });
    expect([badError.status, badError.body.error]).toEqual([400, expect.stringContaining('"error.ErrorMessage" must be a string')]);
    const get = await fetch(new URL(path("succeed"), server.url));
    expect(get.status).toBe(405);
    const unknown = await post("/api/callbacks/not-a-callback-id/succeed", {});
    expect([unknown.status, unknown.body.code]).toEqual([404, "InvalidCallbackIdError"]);
  });

  it("completes a waiting callback as cairn callback does: the execution carries on with the payload; a second answer is 409", SLOW, async () => {
    const done = await post(`/api/callbacks/${waiting.callbackId}/succeed`, { payload: { approved: true, by: "web" } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ action: "succeed", callbackId: waiting.callbackId, executionId: waiting.id, operationId: "1-1" });
    const again = await post(`/api/callbacks/${waiting.callbackId}/fail`, { error: { ErrorMessage: "too late" } });
    expect([again.status, again.body.code]).toEqual([409, "CallbackAlreadyCompletedError"]);

    const resumed = await runCli(["resume", waiting.id, "--store", store]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const { body } = await getJson<ExecutionView>(`/api/executions/${waiting.id}`);
    expect(body.status).toBe("SUCCEEDED");
    expect(body.result).toEqual({ decision: { approved: true, by: "web" }, booked: true });
  });

  it("fails a waiting callback with the error given: the handler's await throws it", SLOW, async () => {
    const other = await startWaiting(store, dir.path);
    const failed = await post(`/api/callbacks/${other.callbackId}/fail`, { error: { ErrorType: "Rejected", ErrorMessage: "over budget" } });
    expect(failed.status).toBe(200);
    const resumed = await runCli(["resume", other.id, "--store", store]);
    expect(resumed.code).toBe(1);
    const { body } = await getJson<ExecutionView>(`/api/executions/${other.id}`);
    expect(body.status).toBe("FAILED");
    expect(JSON.stringify(body.error)).toContain("over budget");
  });
});

describe("the page", () => {
  it("serves the HTML shell, its script and its style sheet, and nothing else", async () => {
    const html = await fetch(server.url);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    const text = await html.text();
    expect(text).toContain('<script src="app.js">');
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await fetch(new URL("/app.js", server.url));
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(await script.text()).toContain("data-testid");
    expect((await fetch(new URL("/app.css", server.url))).headers.get("content-type")).toMatch(/^text\/css/);
    expect((await fetch(new URL("/secrets.txt", server.url))).status).toBe(404);
    expect((await fetch(new URL("/../../package.json", server.url))).status).toBe(404);
  });
});

const SLOW = { timeout: 30_000 };

describe("GET /api/executions/:id/operations/:operationId", () => {
  it("returns one operation's history events, in order", async () => {
    const { status, body } = await getJson<{ operationId: string; events: { EventType: string; Id: string }[] }>(`/api/executions/${retried}/operations/1`);
    expect(status).toBe(200);
    expect(body.events.map((e) => e.EventType)).toEqual(["StepStarted", "StepFailed", "StepStarted", "StepFailed", "StepStarted", "StepSucceeded"]);
    expect(new Set(body.events.map((e) => e.Id))).toEqual(new Set(["1"]));
    expect((await getJson(`/api/executions/NOPE/operations/1`)).status).toBe(404);
  });
});
