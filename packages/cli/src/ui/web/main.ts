// The web view's entry: hash routes (#/ the list, #/executions/:id one execution), loading, and
// the once-a-second refresh while something runs. `document.body.dataset.ready` is "true" once
// the current route's data is on screen (and again after each refresh), "false" while loading.
import { ApiError, dataClient, embeddedExecutionId, type DataClient } from "./data-client.js";
import { h, replaceChildren } from "./dom.js";
import { ExecutionPage } from "./execution-view.js";
import { ListPage, STATUSES } from "./list-view.js";

/** How often a page showing a running execution reads it again. */
const REFRESH_MS = 1000;

type Route = { kind: "list"; status: string } | { kind: "execution"; id: string };

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  const execution = /^\/executions\/([^/?]+)/.exec(path);
  if (execution) return { kind: "execution", id: decodeURIComponent(execution[1] as string) };
  const status = new URLSearchParams(path.split("?")[1] ?? "").get("status") ?? "";
  return { kind: "list", status: STATUSES.includes(status) ? status : "" };
}

class App {
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: DataClient,
    private readonly root: HTMLElement,
  ) {}

  /** Shows the route in the URL's hash, from scratch. */
  async show(): Promise<void> {
    const generation = ++this.#generation;
    clearTimeout(this.#timer);
    document.body.dataset.ready = "false";
    let route = parseRoute(location.hash);
    if (!this.client.live && route.kind === "list") {
      const id = await embeddedExecutionId(this.client);
      if (id !== undefined) route = { kind: "execution", id };
    }
    if (route.kind === "list") {
      const status = route.status;
      const page = new ListPage(status, (next) => {
        location.hash = next === "" ? "#/" : `#/?status=${next}`;
      });
      const load = async (): Promise<boolean> => {
        const items = await this.client.listExecutions(status);
        if (generation !== this.#generation) return false;
        page.update(items, Date.now());
        return items.some((item) => item.status === "RUNNING");
      };
      await this.#run(generation, page.element, load, "Executions");
    } else {
      const page = new ExecutionPage(this.client, () => void this.#refreshSoon(generation, reload));
      const reload = async (): Promise<boolean> => {
        const view = await this.client.getExecution(route.id);
        if (generation !== this.#generation) return false;
        page.update(view);
        document.title = `${view.executionName} · ${view.status} · Cairn`;
        return view.status === "RUNNING";
      };
      await this.#run(generation, page.element, reload, "Execution");
    }
  }

  /** First load of a page, then its refresh loop while `load` reports something running. */
  async #run(generation: number, element: HTMLElement, load: () => Promise<boolean>, title: string): Promise<void> {
    document.title = `${title} · Cairn`;
    try {
      const running = await load();
      if (generation !== this.#generation) return;
      replaceChildren(this.root, header(this.client), element);
      document.body.dataset.ready = "true";
      if (running && this.client.live) this.#schedule(generation, load);
    } catch (error) {
      if (generation !== this.#generation) return;
      replaceChildren(this.root, header(this.client), errorPage(error));
      document.body.dataset.ready = "true";
    }
  }

  #schedule(generation: number, load: () => Promise<boolean>): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#refresh(generation, load), REFRESH_MS);
  }

  async #refresh(generation: number, load: () => Promise<boolean>): Promise<void> {
    if (generation !== this.#generation) return;
    let running = true;
    try {
      running = await load();
    } catch {
      // The server may be restarting; keep the last view and try again.
    }
    if (generation !== this.#generation) return;
    document.body.dataset.ready = "true";
    if (running) this.#schedule(generation, load);
  }

  /** After a callback answer: read again at once (and keep refreshing while it runs). */
  async #refreshSoon(generation: number, load: () => Promise<boolean>): Promise<void> {
    clearTimeout(this.#timer);
    document.body.dataset.ready = "false";
    await this.#refresh(generation, load);
  }
}

function header(client: DataClient): HTMLElement {
  return h(
    "header",
    { class: "top" },
    h("a", { href: client.live ? "#/" : undefined, class: "brand" }, "Cairn"),
    h("span", { class: "muted" }, client.live ? "local web view" : "exported execution — a snapshot, nothing refreshes"),
  );
}

function errorPage(error: unknown): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const notFound = error instanceof ApiError && error.status === 404;
  return h(
    "main",
    { class: "error-page", "data-testid": "error" },
    h("h1", {}, notFound ? "Not found" : "Could not load"),
    h("p", {}, message),
    h("a", { href: "#/" }, "← executions"),
  );
}

const root = document.getElementById("app") ?? document.body.appendChild(h("div", { id: "app" }));
const app = new App(dataClient(), root);
window.addEventListener("hashchange", () => void app.show());
void app.show();
