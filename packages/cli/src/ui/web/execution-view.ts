// One execution: its summary, callbacks, timeline, the selected operation's details, and the
// operation tree as `cairn inspect` prints it.
import type { ExecutionView, HistoryEventJson } from "../view-types.js";
import { callbacksPanel } from "./callbacks-panel.js";
import type { DataClient } from "./data-client.js";
import { detailsPanel } from "./details-panel.js";
import { distributedMapsPanel } from "./distributed-map-panel.js";
import { h, replaceChildren } from "./dom.js";
import { formatDuration, formatTime, prettyJson, statusClass } from "./format.js";
import { buildTimeline, defaultCollapsed, type TimelineModel } from "./timeline-model.js";
import { TimelineView, type TimelineState } from "./timeline-view.js";

/** The execution page; `update` re-renders it in place after each refresh. */
export class ExecutionPage {
  readonly element: HTMLElement;
  readonly #summary = h("div", { class: "summary" });
  readonly #callbacks = h("div", { class: "callbacks-slot" });
  readonly #result = h("div", { class: "callback-result-slot" });
  readonly #details = h("div", { class: "details-slot" });
  readonly #maps = h("div", { class: "distributed-maps-slot" });
  readonly #tree = h("pre", { class: "tree", "data-testid": "operation-tree" });
  readonly #forms = new Map<string, HTMLFormElement>();
  /** Operations' history events read on demand (large executions), by operation id. */
  readonly #events = new Map<string, HistoryEventJson[]>();
  #timeline: TimelineView | undefined;
  #model: TimelineModel | undefined;
  #view: ExecutionView | undefined;
  readonly #state: TimelineState = { collapsed: new Set(), scrollTop: 0 };

  constructor(
    private readonly client: DataClient,
    private readonly onCallbackAnswered: () => void,
  ) {
    this.element = h(
      "main",
      { class: "execution-page" },
      client.live ? h("a", { href: "#/", class: "back" }, "← executions") : null,
      this.#summary,
      this.#result,
      this.#callbacks,
      this.#maps,
      h("h2", {}, "timeline"),
      h("div", { class: "timeline-slot" }),
      this.#details,
      h("h2", {}, "operations"),
      this.#tree,
    );
  }

  /** Renders `view`: the first call sets the collapsed batches, later ones keep the user's choices. */
  update(view: ExecutionView): void {
    const first = this.#view === undefined;
    this.#view = view;
    this.#model = buildTimeline(view);
    if (first) for (const id of defaultCollapsed(this.#model)) this.#state.collapsed.add(id);
    this.#renderSummary(view);
    replaceChildren(
      this.#callbacks,
      callbacksPanel(view, this.#forms, {
        client: this.client,
        onAnswered: (message, ok) => {
          replaceChildren(this.#result, h("p", { class: `callback-result ${ok ? "ok" : "refused"}`, "data-testid": "callback-result", role: "status" }, message));
          if (ok) this.onCallbackAnswered();
        },
      }),
    );
    if (this.#timeline === undefined) {
      this.#timeline = new TimelineView(this.#model, this.#state, {
        onSelect: (id) => this.#select(id),
        onToggle: (id) => {
          if (!this.#state.collapsed.delete(id)) this.#state.collapsed.add(id);
          this.#renderTimeline();
        },
      });
      (this.element.querySelector(".timeline-slot") as HTMLElement).replaceWith(this.#timeline.element);
    }
    replaceChildren(this.#maps, distributedMapsPanel(this.#model.distributedMaps, view.status !== "RUNNING", (id) => this.#showInTimeline(id)));
    this.#renderTimeline();
    this.#renderDetails();
    this.#tree.textContent = view.treeLines.join("\n");
  }

  #select(id: string): void {
    this.#state.selected = this.#state.selected === id ? undefined : id;
    this.#renderTimeline();
    this.#renderDetails();
    if (this.#state.selected !== undefined) this.#details.scrollIntoView({ block: "nearest" });
  }

  /** Selects a map's row with its partitions unfolded, and scrolls to it. */
  #showInTimeline(id: string): void {
    this.#state.collapsed.delete(id);
    if (this.#state.selected !== id) this.#select(id);
    else this.#renderTimeline();
    this.#timeline?.reveal(id);
    this.#timeline?.element.scrollIntoView({ block: "nearest" });
  }

  #renderTimeline(): void {
    if (this.#timeline && this.#model) this.#timeline.update(this.#model);
  }

  #renderDetails(): void {
    const row = this.#state.selected === undefined ? undefined : this.#model?.byId.get(this.#state.selected);
    const view = this.#view;
    if (row === undefined || view === undefined) {
      replaceChildren(this.#details, null);
      return;
    }
    const close = (): void => this.#select(row.op.Id);
    // A row made from a batch's summary has no operation, so no events to read.
    if (view.historyComplete || row.synthetic) {
      replaceChildren(this.#details, detailsPanel(row, row.events, close));
      return;
    }
    // A large execution's view holds only the events the timeline needs: read this operation's.
    replaceChildren(this.#details, detailsPanel(row, this.#events.get(row.op.Id), close));
    const id = row.op.Id;
    this.client.getOperationHistory(view.id, id).then(
      (events) => {
        this.#events.set(id, events);
        if (this.#state.selected === id) replaceChildren(this.#details, detailsPanel(row, events, close));
      },
      () => undefined, // keep what is shown; the next refresh or click tries again
    );
  }

  #renderSummary(view: ExecutionView): void {
    const end = view.endTimestamp === undefined ? Date.parse(view.now) : Date.parse(view.endTimestamp);
    const duration = formatDuration(end - Date.parse(view.startTimestamp));
    const facts: [string, string][] = [
      ["id", view.id],
      ["started", formatTime(view.startTimestamp)],
      ["duration", view.endTimestamp === undefined ? `${duration} so far` : duration],
      ["invocations", String(view.invocationCount)],
      ["operations", String(this.#model?.count ?? 0)],
    ];
    if (view.endTimestamp !== undefined) facts.splice(2, 0, ["ended", formatTime(view.endTimestamp)]);
    if (view.handler !== undefined) facts.push(["handler", view.handler]);
    // The once-a-second refresh of a running execution must not fold what the user unfolded.
    const opened = new Map<string, boolean>();
    for (const element of this.#summary.querySelectorAll("details")) opened.set(element.dataset.part ?? "", element.open);
    const part = (name: string, openByDefault: boolean, ...children: HTMLElement[]): HTMLElement =>
      h("details", { "data-part": name, open: opened.get(name) ?? openByDefault }, h("summary", {}, name), ...children);
    replaceChildren(
      this.#summary,
      h(
        "div",
        { class: "title" },
        h("h1", {}, view.executionName),
        h("span", { class: `badge big ${statusClass(view.status)}`, "data-testid": "execution-status" }, view.status),
        view.status === "RUNNING" && this.client.live ? h("span", { class: "muted live" }, "live") : null,
      ),
      h("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      view.blockedAt !== undefined
        ? h("p", { class: "blocked" }, `Blocked at operation ${view.blockedAt}: ${view.blockedMessage ?? "its replay diverged from the checkpoints"}`)
        : null,
      h(
        "div",
        { class: "io" },
        part("input", false, h("pre", { class: "json", "data-testid": "execution-input" }, prettyJson(view.input))),
        view.status === "SUCCEEDED" ? part("result", true, h("pre", { class: "json", "data-testid": "execution-result" }, prettyJson(view.result))) : null,
        view.error !== undefined ? part("error", true, h("pre", { class: "json error-text", "data-testid": "execution-error" }, prettyJson(view.error))) : null,
      ),
    );
  }
}
