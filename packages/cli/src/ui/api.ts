// The web view's HTTP routes: the page's assets and a small JSON API over a UiDataSource.
//
//   GET  /                                   the page (index.html, app.js, app.css)
//   GET  /api/executions?status=S[,S]        the executions, newest first
//   GET  /api/executions/:id                 one execution: summary, operations, history, invocations
//   GET  /api/executions/:id/operations/:op  one operation's history events
//   POST /api/callbacks/:callbackId/:action  succeed {payload} | fail {error} | heartbeat {}
//
// Errors are JSON {error, code} with a status code: 400 bad input, 403 refused (see
// request-guard.ts), 404 unknown, 405 wrong method, 409 too late (the callback or its execution
// has ended), 413 body too large, 500 anything else.
import type { IncomingMessage, ServerResponse } from "node:http";
import { UsageError } from "../usage-error.js";
import { parseStatuses } from "../execution-filter.js";
import { BadRequestError, CALLBACK_ACTIONS, parseCallbackBody, type CallbackAction } from "./callback-body.js";
import type { UiDataSource } from "./data-source.js";
import { refusal } from "./request-guard.js";
import type { UiAssets } from "./assets.js";
import type { ApiErrorBody } from "./view-types.js";

/** The largest callback body accepted: the page sends a payload typed into a text box. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The service's refusals that mean "no such callback": 404. */
const NOT_FOUND = new Set(["InvalidCallbackIdError", "CallbackNotFoundError"]);
/** Refusals that mean "too late": 409, nothing changed. */
const CONFLICT = new Set(["CallbackAlreadyCompletedError", "ExecutionClosedError"]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the request listener for `node:http`'s createServer. */
export function uiRequestHandler(source: UiDataSource, assets: () => UiAssets) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    route(source, assets, request, response).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(response, error.status, error.code, error.message);
      if (error instanceof Error && NOT_FOUND.has(error.name)) return sendError(response, 404, error.name, error.message);
      if (error instanceof Error && CONFLICT.has(error.name)) return sendError(response, 409, error.name, error.message);
      if (error instanceof Error && error.name === "InvalidRequestError") return sendError(response, 400, error.name, error.message);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      sendError(response, 500, "InternalError", message);
    });
  };
}

async function route(source: UiDataSource, assets: () => UiAssets, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const refused = refusal(request);
  if (refused !== undefined) throw new HttpError(403, "Forbidden", refused);
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const path = url.pathname;
  const method = request.method ?? "GET";

  if (path.startsWith("/api/")) {
    const parts = path.split("/").slice(2).map((part) => decodeURIComponent(part));
    if (parts[0] === "executions" && parts.length <= 2) {
      requireMethod(method, "GET");
      if (parts.length === 1 || parts[1] === "") return sendJson(response, 200, await listExecutions(source, url.searchParams.get("status")));
      const view = await source.getExecution(parts[1] as string);
      if (view === undefined) throw new HttpError(404, "ExecutionNotFound", `No execution "${parts[1]}" in the ${source.description}.`);
      return sendJson(response, 200, view);
    }
    if (parts[0] === "callbacks" && parts.length === 3) {
      requireMethod(method, "POST");
      const action = parts[2] as string;
      if (!(CALLBACK_ACTIONS as readonly string[]).includes(action)) {
        throw new HttpError(404, "UnknownAction", `Unknown callback action "${action}"; use succeed, fail or heartbeat.`);
      }
      const type = request.headers["content-type"] ?? "";
      if (!/^application\/json\b/i.test(type)) {
        throw new HttpError(415, "UnsupportedMediaType", `Send the body as JSON (Content-Type: application/json), not "${type}".`);
      }
      const body = await readBody(request);
      let answer;
      try {
        answer = parseCallbackBody(action as CallbackAction, body);
      } catch (error) {
        if (error instanceof BadRequestError) throw new HttpError(400, "BadRequest", error.message);
        throw error;
      }
      return sendJson(response, 200, await source.answerCallback(parts[1] as string, answer));
    }
    if (parts[0] === "executions" && parts.length === 4 && parts[2] === "operations") {
      requireMethod(method, "GET");
      const events = await source.getOperationHistory(parts[1] as string, parts[3] as string);
      if (events === undefined) throw new HttpError(404, "ExecutionNotFound", `No execution "${parts[1]}" in the ${source.description}.`);
      return sendJson(response, 200, events);
    }
    throw new HttpError(404, "NotFound", `No API route ${path}.`);
  }

  requireMethod(method, "GET");
  const files = assets();
  if (path === "/" || path === "/index.html") return sendText(response, "text/html; charset=utf-8", files.html, method);
  if (path === "/app.js") return sendText(response, "text/javascript; charset=utf-8", files.script, method);
  if (path === "/app.css") return sendText(response, "text/css; charset=utf-8", files.style, method);
  throw new HttpError(404, "NotFound", `Nothing at ${path}; the page is at /.`);
}

async function listExecutions(source: UiDataSource, status: string | null) {
  let statuses: Set<string> | undefined;
  if (status !== null && status !== "") {
    try {
      statuses = parseStatuses(status, "ui", "status");
    } catch (error) {
      if (error instanceof UsageError) throw new HttpError(400, "BadRequest", error.message);
      throw error;
    }
  }
  const all = await source.listExecutions();
  return statuses === undefined ? all : all.filter((item) => statuses.has(item.status));
}

function requireMethod(method: string, allowed: "GET" | "POST"): void {
  if (method === allowed || (allowed === "GET" && method === "HEAD")) return;
  throw new HttpError(405, "MethodNotAllowed", `${method} is not allowed here; use ${allowed}.`);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "PayloadTooLarge", `The body is over ${MAX_BODY_BYTES} bytes.`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { ...COMMON_HEADERS, "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

function sendText(response: ServerResponse, type: string, text: string, method: string): void {
  response.writeHead(200, { ...COMMON_HEADERS, "content-type": type, "content-length": Buffer.byteLength(text) });
  response.end(method === "HEAD" ? undefined : text);
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body: ApiErrorBody = { error: message, code };
  sendJson(response, status, body);
}
