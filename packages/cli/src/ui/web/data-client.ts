// Where the page gets its data: the `cairn ui` server's JSON API, or — in a file written by
// `cairn inspect --html` — the execution embedded in the page, with nothing to fetch.
import type { CallbackActionResult, ExecutionListItem, ExecutionView, HistoryEventJson, OperationHistoryJson } from "../view-types.js";

/** The id of the script element `inspect --html` embeds the execution in (see html-export.ts). */
const EMBEDDED_DATA_ID = "cairn-execution";
/** The id of the element holding a large export's whole history (see html-export.ts). */
const EMBEDDED_HISTORY_ID = "cairn-history";

/** The page's source of executions. */
export interface DataClient {
  /** False in an exported file: no list, no refresh, no callback answers. */
  readonly live: boolean;
  /** The executions, newest first, optionally of one status. */
  listExecutions(status: string): Promise<ExecutionListItem[]>;
  /** One execution. */
  getExecution(id: string): Promise<ExecutionView>;
  /** One operation's history events (for a large execution, whose view holds only some). */
  getOperationHistory(id: string, operationId: string): Promise<HistoryEventJson[]>;
  /** Answers a callback: body `{payload}` for succeed, `{error}` for fail, `{}` for heartbeat. */
  answerCallback(callbackId: string, action: string, body: Record<string, unknown>): Promise<CallbackActionResult>;
}

/** An API error, with the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, body.error ?? `${response.status} ${response.statusText}`);
  return body as T;
}

function serverClient(): DataClient {
  return {
    live: true,
    listExecutions: (status) => request(`/api/executions${status === "" ? "" : `?status=${encodeURIComponent(status)}`}`),
    getExecution: (id) => request(`/api/executions/${encodeURIComponent(id)}`),
    getOperationHistory: async (id, operationId) =>
      (await request<OperationHistoryJson>(`/api/executions/${encodeURIComponent(id)}/operations/${encodeURIComponent(operationId)}`)).events,
    answerCallback: (callbackId, action, body) =>
      request(`/api/callbacks/${encodeURIComponent(callbackId)}/${action}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  };
}

function embeddedClient(view: ExecutionView): DataClient {
  const item: ExecutionListItem = view;
  let fullHistory: HistoryEventJson[] | undefined;
  return {
    live: false,
    listExecutions: async (status) => (status === "" || status === view.status ? [item] : []),
    getExecution: async (id) => {
      if (id !== view.id) throw new ApiError(404, `This file holds execution ${view.id} only.`);
      return view;
    },
    getOperationHistory: async (_id, operationId) => {
      if (view.historyComplete) return view.history.filter((event) => event.Id === operationId);
      // A large export keeps the whole history in its own element, parsed on the first request.
      fullHistory ??= JSON.parse(document.getElementById(EMBEDDED_HISTORY_ID)?.textContent ?? "[]") as HistoryEventJson[];
      return fullHistory.filter((event) => event.Id === operationId);
    },
    answerCallback: async () => {
      throw new ApiError(405, `Callbacks are answered from "cairn ui" or "cairn callback", not from an exported file.`);
    },
  };
}

/** The embedded execution's client when the page has one, else the server's. */
export function dataClient(): DataClient {
  const embedded = document.getElementById(EMBEDDED_DATA_ID);
  if (embedded?.textContent) return embeddedClient(JSON.parse(embedded.textContent) as ExecutionView);
  return serverClient();
}

/** The embedded execution's id, when the page is an export. */
export function embeddedExecutionId(client: DataClient): Promise<string | undefined> {
  return client.live ? Promise.resolve(undefined) : client.listExecutions("").then((items) => items[0]?.id);
}
