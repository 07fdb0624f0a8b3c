import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CheckpointBackend, DurableExecutionService, ErrorObject } from "@cairn/sdk";

const API = "/2025-12-01";

/** A failure to answer a request with instead of serving it (tests of retry and classification). */
export interface InjectedFailure {
  status: number;
  /** The exception's name, e.g. "TooManyRequestsException", "ServiceException". */
  errorType: string;
  message: string;
}

export interface LocalLambdaEndpointOptions {
  service: DurableExecutionService;
  /**
   * Where checkpoint and state requests of an execution go, when not straight to `service`: e.g.
   * the backend an in-process orchestrator gave the running invocation (with its fault injection).
   */
  checkpointBackendFor?: (executionArn: string) => CheckpointBackend | undefined;
  /** Default 127.0.0.1; the endpoint is for this machine only. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Consulted before each request; return a failure to answer with it instead. */
  injectFailure?: (request: { method: string; path: string; operation: string }) => InjectedFailure | undefined;
}

export interface LocalLambdaEndpoint {
  /** e.g. http://127.0.0.1:41234 — pass as `endpoint` to a LambdaClient. */
  readonly url: string;
  /** Requests served, by API operation name (for tests). */
  readonly requests: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

interface Route {
  operation: string;
  method: string;
  pattern: RegExp;
  handle: (service: DurableExecutionService, params: string[], query: URLSearchParams, body: Buffer, backendFor: (arn: string) => CheckpointBackend) => Promise<unknown>;
}

/**
 * Serves a Cairn checkpoint service over HTTP with the paths, methods and JSON shapes of the AWS
 * Lambda durable-execution API (CheckpointDurableExecution, GetDurableExecutionState,
 * GetDurableExecution, GetDurableExecutionHistory, SendDurableExecutionCallback*), so the real
 * `@aws-sdk/client-lambda` can talk to it on loopback: a Lambda backend tested without AWS.
 */
export async function startLocalLambdaEndpoint(options: LocalLambdaEndpointOptions): Promise<LocalLambdaEndpoint> {
  const { service } = options;
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => sendError(res, mapError(error)));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const body = await readBody(req);
    for (const route of ROUTES) {
      const match = route.method === method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      requests.set(route.operation, (requests.get(route.operation) ?? 0) + 1);
      const injected = options.injectFailure?.({ method, path: url.pathname, operation: route.operation });
      if (injected) return sendError(res, injected);
      const params = match.slice(1).map((p) => decodeURIComponent(p));
      const backendFor = (arn: string): CheckpointBackend => options.checkpointBackendFor?.(arn) ?? service;
      const result = await route.handle(service, params, url.searchParams, body, backendFor);
      return sendJson(res, 200, result ?? {});
    }
    sendError(res, { status: 404, errorType: "UnknownOperationException", message: `No operation at ${method} ${url.pathname}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const ROUTES: Route[] = [
  {
    operation: "CheckpointDurableExecution",
    method: "POST",
    pattern: new RegExp(`^${API}/durable-executions/([^/]+)/checkpoint$`),
    handle: async (_service, [arn], _query, body, backendFor) => {
      const request = parseJson(body) as { CheckpointToken?: string; Updates?: unknown[] };
      return backendFor(arn as string).checkpoint({
        DurableExecutionArn: arn as string,
        CheckpointToken: requireString(request.CheckpointToken, "CheckpointToken"),
        Updates: (request.Updates ?? []) as never,
      });
    },
  },
  {
    operation: "GetDurableExecutionState",
    method: "GET",
    pattern: new RegExp(`^${API}/durable-executions/([^/]+)/state$`),
    handle: (_service, [arn], query, _body, backendFor) =>
      backendFor(arn as string).getExecutionState({
        DurableExecutionArn: arn as string,
        CheckpointToken: requireString(query.get("CheckpointToken") ?? undefined, "CheckpointToken"),
        ...(query.get("Marker") ? { Marker: query.get("Marker") as string } : {}),
        ...(query.get("MaxItems") ? { MaxItems: Number(query.get("MaxItems")) } : {}),
      }),
  },
  {
    operation: "GetDurableExecutionHistory",
    method: "GET",
    pattern: new RegExp(`^${API}/durable-executions/([^/]+)/history$`),
    handle: async (service, [arn], query) => {
      const events = await service.getHistory(arn as string);
      return { Events: query.get("ReverseOrder") === "true" ? events.reverse() : events };
    },
  },
  {
    operation: "GetDurableExecution",
    method: "GET",
    pattern: new RegExp(`^${API}/durable-executions/([^/]+)$`),
    handle: async (service, [arn]) => {
      const execution = await service.getExecution(arn as string);
      return {
        DurableExecutionArn: execution.executionArn,
        DurableExecutionName: execution.executionName,
        FunctionArn: execution.functionName ?? "cairn-local",
        Status: execution.status,
        StartTimestamp: execution.startTimestamp,
        EndTimestamp: execution.endTimestamp,
        InputPayload: execution.input,
        Result: execution.result,
        Error: execution.error,
      };
    },
  },
  {
    operation: "SendDurableExecutionCallbackSuccess",
    method: "POST",
    pattern: new RegExp(`^${API}/durable-execution-callbacks/([^/]+)/succeed$`),
    // The result is the raw request body (bytes); the handler reads it as text.
    handle: async (service, [id], _query, body) => {
      await service.sendCallbackSuccess(id as string, body.length === 0 ? undefined : body.toString("utf8"));
    },
  },
  {
    operation: "SendDurableExecutionCallbackFailure",
    method: "POST",
    pattern: new RegExp(`^${API}/durable-execution-callbacks/([^/]+)/fail$`),
    handle: async (service, [id], _query, body) => {
      await service.sendCallbackFailure(id as string, body.length === 0 ? undefined : (parseJson(body) as ErrorObject));
    },
  },
  {
    operation: "SendDurableExecutionCallbackHeartbeat",
    method: "POST",
    pattern: new RegExp(`^${API}/durable-execution-callbacks/([^/]+)/heartbeat$`),
    handle: async (service, [id]) => {
      await service.sendCallbackHeartbeat(id as string);
    },
  },
];

class BadRequest extends Error {}

function requireString(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) throw new BadRequest(`${field} is required`);
  return value;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new BadRequest("the request body is not JSON");
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The service's answer to a failure, as the Lambda API gives it (status and exception name). */
function mapError(error: unknown): InjectedFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BadRequest) return { status: 400, errorType: "InvalidParameterValueException", message };
  const type = (error as { errorType?: unknown })?.errorType;
  switch (type) {
    case "InvalidCheckpointToken":
      // The service's wording, which clients match on to end only the invocation.
      return { status: 400, errorType: "InvalidParameterValueException", message: `Invalid Checkpoint Token: ${message}` };
    case "ResourceNotFound":
      return { status: 404, errorType: "ResourceNotFoundException", message };
    case "InvalidCheckpoint":
    case "InvalidRequest":
    case "InvalidCallbackId":
    case "ExecutionClosed":
    case "CallbackAlreadyCompleted":
      return { status: 400, errorType: "InvalidParameterValueException", message };
    default:
      return { status: 500, errorType: "ServiceException", message };
  }
}

function sendError(res: ServerResponse, failure: InjectedFailure): void {
  if (res.headersSent) return;
  res.setHeader("x-amzn-errortype", failure.errorType);
  // Both spellings: the API uses `message` on some exceptions and `Message` on others.
  sendJson(res, failure.status, { Type: failure.status >= 500 ? "Service" : "User", message: failure.message, Message: failure.message });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, function (this: Record<string, unknown>, key, item: unknown) {
    // The API's JSON carries timestamps as epoch seconds.
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : item;
  });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
