import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CheckpointBackend, DurableLambdaHandler, ErrorObject } from "@cairn/sdk";
import type { Clock, DurableExecutionService } from "@cairn/sdk/service";
import { DurableFunctionHost, FunctionNotFound, type DurableInvokeAnswer, type LambdaInvocationType } from "./durable-function-host.js";

const API = "/2025-12-01";
const INVOKE_API = "/2015-03-31";

/** A failure to answer a request with instead of serving it (tests of retry and classification). */
export interface InjectedFailure {
  /** The HTTP status, e.g. 429 or 500 (retried by the backend) or 400 (fails the execution). */
  status: number;
  /** The exception's name, e.g. "TooManyRequestsException", "ServiceException". */
  errorType: string;
  /** The exception's message. */
  message: string;
}

/** What {@link startLocalLambdaEndpoint} serves, and where. */
export interface LocalLambdaEndpointOptions {
  /** The checkpoint service that holds the executions, e.g. a `CheckpointService` on a memory store. */
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
  /**
   * Durable functions the Invoke API serves, by function name (see `registerFunction`). Build
   * each with `@cairn/aws-lambda`'s `withDurableExecution` and a `client` pointed at the
   * endpoint, so that it checkpoints through the endpoint as a deployed function does.
   */
  functions?: Readonly<Record<string, DurableLambdaHandler>>;
  /**
   * The service's clock: executions started through Invoke are driven on it (their waits and
   * retry delays sleep until it reaches them). Default real time.
   */
  clock?: Clock;
}

/** A running endpoint, from {@link startLocalLambdaEndpoint}. */
export interface LocalLambdaEndpoint {
  /** e.g. http://127.0.0.1:41234 — pass as `endpoint` to a LambdaClient. */
  readonly url: string;
  /** Requests served, by API operation name (for tests). */
  readonly requests: ReadonlyMap<string, number>;
  /**
   * Deploys a durable function under `name` for the Invoke API
   * (POST /2015-03-31/functions/{name}/invocations). Invoke starts a durable execution and drives
   * it as Lambda does: the handler is invoked with the plain JSON input (so it checkpoints through
   * its own client), and again after each suspension once a wait or retry is due or a callback
   * was answered. `RequestResponse` answers when the execution has ended, with its result (or,
   * with `X-Amz-Function-Error: Unhandled`, its error); `Event` answers 202 at once; both carry the
   * execution ARN in `X-Amz-Durable-Execution-Arn`. Other functions can reach it with `ctx.invoke`.
   *
   * @throws TypeError when `name` is not a Lambda function name (1-64 of `A-Z a-z 0-9 _ -`) or
   *   `handler` is not a function.
   */
  registerFunction(name: string, handler: DurableLambdaHandler): void;
  /** Stops driving executions (they stay RUNNING) and closes the server. */
  close(): Promise<void>;
}

/** What a route sees of the request and the endpoint beyond its path parameters. */
interface RouteContext {
  headers: IncomingMessage["headers"];
  host: DurableFunctionHost;
}

interface Route {
  operation: string;
  method: string;
  pattern: RegExp;
  handle: (
    service: DurableExecutionService,
    params: string[],
    query: URLSearchParams,
    body: Buffer,
    backendFor: (arn: string) => CheckpointBackend,
    context: RouteContext,
  ) => Promise<unknown>;
}

/** A route's answer that is not the API's usual 200 with a JSON body (the Invoke API's). */
class RawAnswer {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {}
}

/**
 * Serves a Cairn checkpoint service over HTTP with the paths, methods and JSON shapes of the AWS
 * Lambda durable-execution API (CheckpointDurableExecution, GetDurableExecutionState,
 * GetDurableExecution, GetDurableExecutionHistory, SendDurableExecutionCallback*), so the real
 * `@aws-sdk/client-lambda` can talk to it on loopback: a Lambda backend tested without AWS. With
 * functions registered, it also serves Invoke for them as Lambda does for durable functions, so
 * a test can run against "deployed" functions (e.g. with @cairn/testing's CloudDurableTestRunner).
 *
 * It is for tests on this machine: no authentication (any credentials are accepted), one
 * process. Resolves once the server listens; `close()` it at the end of the test.
 *
 * @throws Error (the promise rejects) when the server cannot listen, e.g. the port is taken.
 *
 * @example
 * ```ts
 * import { LambdaClient } from "@aws-sdk/client-lambda";
 * import { withDurableExecution } from "@cairn/aws-lambda";
 * import { startLocalLambdaEndpoint } from "@cairn/aws-lambda/local";
 * import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
 * import { CloudDurableTestRunner, InvocationType } from "@cairn/testing";
 *
 * const endpoint = await startLocalLambdaEndpoint({ service: new CheckpointService({ store: new MemoryExecutionStore() }) });
 * const client = new LambdaClient({
 *   endpoint: endpoint.url,
 *   region: "us-east-1",
 *   credentials: { accessKeyId: "local", secretAccessKey: "local" },
 * });
 * endpoint.registerFunction("order-workflow", withDurableExecution(orderWorkflow, { client }));
 *
 * const runner = new CloudDurableTestRunner({ functionName: "order-workflow", client, config: { invocationType: InvocationType.Event } });
 * const result = await runner.run({ payload: { orderId: "o-1" } });
 * await endpoint.close();
 * ```
 */
export async function startLocalLambdaEndpoint(options: LocalLambdaEndpointOptions): Promise<LocalLambdaEndpoint> {
  const { service } = options;
  // Node listens on every interface for an empty host: an unset setting must not open the
  // endpoint (no authentication) to the network.
  if (options.host !== undefined && (typeof options.host !== "string" || options.host === "")) {
    throw new TypeError(`startLocalLambdaEndpoint: host must be a non-empty host name or address (default 127.0.0.1), got ${JSON.stringify(options.host)}.`);
  }
  const requests = new Map<string, number>();
  const functions = new DurableFunctionHost(service, options.clock);
  for (const [name, handler] of Object.entries(options.functions ?? {})) functions.register(name, handler);
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
      const result = await route.handle(service, params, url.searchParams, body, backendFor, { headers: req.headers, host: functions });
      if (result instanceof RawAnswer) return sendRaw(res, result);
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
    registerFunction: (name, handler) => functions.register(name, handler),
    close: () =>
      new Promise<void>((resolve, reject) => {
        functions.close();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const ROUTES: Route[] = [
  {
    operation: "Invoke",
    method: "POST",
    pattern: new RegExp(`^${INVOKE_API}/functions/([^/]+)/invocations$`),
    handle: async (_service, [functionName], _query, body, _backendFor, { headers, host }) => {
      const answer = await host.invoke({
        functionName: functionName as string,
        invocationType: invocationTypeOf(headers["x-amz-invocation-type"]),
        payload: invokePayloadOf(body),
        executionName: headerOf(headers["x-amz-durable-execution-name"]),
      });
      return invokeAnswer(answer);
    },
  },
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
      const ordered = query.get("ReverseOrder") === "true" ? events.reverse() : events;
      // Pages of MaxItems (the API's limit is 1000); the marker is where the next page starts.
      const maxItems = integerParam(query.get("MaxItems"), "MaxItems", 1, 1000) ?? 1000;
      const start = integerParam(query.get("Marker"), "Marker", 0, ordered.length) ?? 0;
      const end = start + maxItems;
      return { Events: ordered.slice(start, end), ...(end < ordered.length ? { NextMarker: String(end) } : {}) };
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
    handle: async (service, [id], _query, body, _backendFor, { host }) => {
      const { executionArn } = await service.sendCallbackSuccess(id as string, body.length === 0 ? undefined : body.toString("utf8"));
      host.changed(executionArn);
    },
  },
  {
    operation: "SendDurableExecutionCallbackFailure",
    method: "POST",
    pattern: new RegExp(`^${API}/durable-execution-callbacks/([^/]+)/fail$`),
    handle: async (service, [id], _query, body, _backendFor, { host }) => {
      const { executionArn } = await service.sendCallbackFailure(id as string, body.length === 0 ? undefined : (parseJson(body) as ErrorObject));
      host.changed(executionArn);
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

/** A request body that Invoke cannot hand to a function (Lambda's InvalidRequestContentException). */
class InvalidRequestContent extends Error {}

const INVOCATION_TYPES: ReadonlySet<string> = new Set<LambdaInvocationType>(["RequestResponse", "Event", "DryRun"]);

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function invocationTypeOf(header: string | string[] | undefined): LambdaInvocationType {
  const value = headerOf(header) ?? "RequestResponse";
  if (!INVOCATION_TYPES.has(value)) {
    throw new BadRequest(`X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, got "${value}"`);
  }
  return value as LambdaInvocationType;
}

/** The event as JSON text; no payload is the event `{}`, as Lambda hands it to a function. */
function invokePayloadOf(body: Buffer): string {
  if (body.length === 0) return "{}";
  const text = body.toString("utf8");
  try {
    JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestContent(`Could not parse request body into json: ${(error as Error).message}`);
  }
  return text;
}

/** Invoke's answer as Lambda gives it for a durable function. */
function invokeAnswer(answer: DurableInvokeAnswer): RawAnswer {
  if (answer.kind === "dry-run") return new RawAnswer(204, {}, "");
  const { execution } = answer;
  const headers = { "x-amz-durable-execution-arn": execution.executionArn, "x-amz-executed-version": "$LATEST" };
  if (answer.kind === "started") return new RawAnswer(202, headers, "");
  if (execution.status === "SUCCEEDED") return new RawAnswer(200, headers, execution.result ?? "null");
  if (execution.status === "RUNNING") {
    throw new Error(`The execution ${execution.executionArn} is still RUNNING: the endpoint stopped driving it (it was closed)`);
  }
  // A function error: the error object the runtime reports, flagged as unhandled.
  const error = execution.error;
  const payload = {
    errorType: error?.ErrorType ?? `Execution.${execution.status}`,
    errorMessage: error?.ErrorMessage ?? `The durable execution ended ${execution.status}`,
    trace: error?.StackTrace ?? [],
  };
  return new RawAnswer(200, { ...headers, "x-amz-function-error": "Unhandled" }, JSON.stringify(payload));
}

/** An integer query parameter within [min, max], or undefined when absent. */
function integerParam(value: string | null, field: string, min: number, max: number): number | undefined {
  if (value === null || value === "") return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new BadRequest(`${field} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

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
  if (error instanceof InvalidRequestContent) return { status: 400, errorType: "InvalidRequestContentException", message };
  if (error instanceof FunctionNotFound) return { status: 404, errorType: "ResourceNotFoundException", message };
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

function sendRaw(res: ServerResponse, answer: RawAnswer): void {
  const type = answer.body.length > 0 ? { "content-type": "application/json" } : {};
  res.writeHead(answer.status, { ...answer.headers, ...type, "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
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
