// The execution's callbacks: each one still waiting shows its id and a form that succeeds, fails
// or heartbeats it through the server (the same service calls as `cairn callback`).
import type { CallbackJson, ExecutionView } from "../view-types.js";
import type { DataClient } from "./data-client.js";
import { h } from "./dom.js";
import { statusClass } from "./format.js";

/** What the panel needs from the execution view. */
export interface CallbacksPanelOptions {
  /** Sends the answer. */
  client: DataClient;
  /** Called with the outcome's text once an answer was sent (or refused), to show it and refresh. */
  onAnswered(message: string, ok: boolean): void;
}

const ERROR_FIELDS = ["ErrorType", "ErrorMessage", "ErrorData"];

/**
 * The request body for `action` from the text box: succeed sends the text as JSON ({payload});
 * fail sends an {ErrorType, ErrorMessage, ErrorData} object typed in, or any other text as the
 * ErrorMessage; heartbeat sends nothing. Throws for a succeed payload that is not JSON.
 */
export function callbackBody(action: string, text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (action === "heartbeat" || trimmed === "") return {};
  if (action === "succeed") {
    try {
      return { payload: JSON.parse(trimmed) as unknown };
    } catch (error) {
      throw new Error(`The payload is not valid JSON (${error instanceof Error ? error.message : String(error)}); e.g. {"approved": true}.`);
    }
  }
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => ERROR_FIELDS.includes(k))) {
      return { error: value };
    }
  } catch {
    // not JSON: the text is the message
  }
  return { error: { ErrorMessage: trimmed } };
}

/**
 * Builds (or, after a refresh, reuses) the form of each waiting callback: `forms` keeps them by
 * callback id so text being typed survives the once-a-second refresh.
 */
export function callbacksPanel(view: ExecutionView, forms: Map<string, HTMLFormElement>, options: CallbacksPanelOptions): HTMLElement | null {
  if (view.callbacks.length === 0) return null;
  const live = options.client.live && view.status === "RUNNING";
  const waiting = new Set<string>();
  const items = view.callbacks.map((cb) => {
    const open = cb.status === "STARTED" && cb.callbackId !== undefined;
    let form: HTMLFormElement | null = null;
    if (open && live) {
      const id = cb.callbackId as string;
      waiting.add(id);
      form = forms.get(id) ?? callbackForm(cb, options);
      forms.set(id, form);
    }
    return h(
      "li",
      { class: "callback", "data-operation-id": cb.operationId },
      h("span", { class: `badge ${statusClass(cb.status)}` }, open ? "WAITING" : cb.status),
      " ",
      h("strong", {}, cb.name ?? "(unnamed)"),
      h("span", { class: "muted" }, ` op ${cb.operationId} · id `),
      h("code", { class: "callback-id" }, cb.callbackId ?? "-"),
      open && !live && !options.client.live ? h("div", { class: "muted" }, `answer with: cairn callback succeed ${cb.callbackId ?? ""} --payload '<json>'`) : null,
      form,
    );
  });
  for (const id of [...forms.keys()]) if (!waiting.has(id)) forms.delete(id);
  return h("section", { class: "callbacks" }, h("h2", {}, "callbacks"), h("ul", {}, ...items));
}

function callbackForm(cb: CallbackJson, options: CallbacksPanelOptions): HTMLFormElement {
  const textarea = h("textarea", { name: "payload", rows: 3, spellcheck: "false", placeholder: 'payload as JSON, e.g. {"approved": true} — or, for fail, an error message' });
  const form = h("form", { class: "callback-form", "data-testid": "callback-form", "data-callback-id": cb.callbackId });
  const send = async (action: string): Promise<void> => {
    let body: Record<string, unknown>;
    try {
      body = callbackBody(action, textarea.value);
    } catch (error) {
      options.onAnswered(error instanceof Error ? error.message : String(error), false);
      return;
    }
    for (const button of form.querySelectorAll("button")) button.disabled = true;
    try {
      const done = await options.client.answerCallback(cb.callbackId as string, action, body);
      const what = action === "heartbeat" ? "heartbeat sent to callback" : action === "succeed" ? "callback succeeded" : "callback failed";
      options.onAnswered(`${what} — execution ${done.executionId}, operation ${done.operationId}`, true);
    } catch (error) {
      options.onAnswered(error instanceof Error ? error.message : String(error), false);
    } finally {
      for (const button of form.querySelectorAll("button")) button.disabled = false;
    }
  };
  const button = (action: string, text: string): HTMLButtonElement =>
    h("button", { type: "button", "data-action": action, class: `action-${action}`, onclick: () => void send(action) }, text);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void send("succeed");
  });
  form.append(textarea, h("div", { class: "buttons" }, button("succeed", "Succeed"), button("fail", "Fail"), button("heartbeat", "Heartbeat")));
  return form;
}
