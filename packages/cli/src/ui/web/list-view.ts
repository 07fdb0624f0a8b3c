// The executions list: status, name, start, duration, invocations, handler; filtered by status.
import type { ExecutionListItem } from "../view-types.js";
import { h, replaceChildren } from "./dom.js";
import { formatDuration, formatTime, statusClass } from "./format.js";

/** The statuses the filter offers ("" is every one). */
export const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];

/** The list page; `update` re-renders its rows after a refresh. */
export class ListPage {
  readonly element: HTMLElement;
  readonly #body: HTMLTableSectionElement;
  readonly #summary: HTMLElement;

  constructor(status: string, onFilter: (status: string) => void) {
    const select = h(
      "select",
      { "data-testid": "status-filter", "aria-label": "status", onchange: () => onFilter(select.value) },
      h("option", { value: "" }, "every status"),
      ...STATUSES.map((s) => h("option", { value: s }, s)),
    );
    select.value = status;
    this.#body = h("tbody");
    this.#summary = h("span", { class: "muted" });
    this.element = h(
      "main",
      { class: "list-page" },
      h("div", { class: "toolbar" }, h("h1", {}, "Executions"), h("label", {}, "status ", select), this.#summary),
      h(
        "table",
        { class: "executions", "data-testid": "executions" },
        h(
          "thead",
          {},
          h("tr", {}, ...["status", "name", "id", "started", "duration", "invocations", "handler"].map((c) => h("th", {}, c))),
        ),
        this.#body,
      ),
    );
  }

  /** Shows `items` (already filtered); `now` extends the running ones' durations. */
  update(items: readonly ExecutionListItem[], now: number): void {
    const rows = items.map((item) => {
      const href = `#/executions/${encodeURIComponent(item.id)}`;
      const end = item.endTimestamp === undefined ? now : Date.parse(item.endTimestamp);
      const duration = formatDuration(end - Date.parse(item.startTimestamp));
      const status = item.blockedAt === undefined ? item.status : `${item.status} (blocked at ${item.blockedAt})`;
      return h(
        "tr",
        {
          "data-execution-id": item.id,
          "data-status": item.status,
          class: "clickable",
          onclick: (event) => {
            if ((event.target as Element).closest("a") === null) location.hash = href;
          },
        },
        h("td", {}, h("span", { class: `badge ${statusClass(item.status)}` }, status)),
        h("td", {}, h("a", { href, "data-testid": "execution-link" }, item.executionName)),
        h("td", {}, h("code", {}, item.id)),
        h("td", { class: "nowrap" }, formatTime(item.startTimestamp)),
        h("td", { class: "nowrap" }, item.endTimestamp === undefined ? `${duration}+` : duration),
        h("td", { class: "num" }, String(item.invocationCount)),
        h("td", { class: "handler", title: item.handler ?? "" }, item.handler === undefined ? "-" : shortPath(item.handler)),
      );
    });
    if (rows.length === 0) {
      rows.push(h("tr", { class: "empty" }, h("td", { colspan: 7 }, "No executions. Start one with: cairn run <handler-file>")));
    }
    replaceChildren(this.#body, ...rows);
    const running = items.filter((item) => item.status === "RUNNING").length;
    this.#summary.textContent = `${items.length} execution${items.length === 1 ? "" : "s"}${running > 0 ? `, ${running} running — refreshing every second` : ""}`;
  }
}

/** The last two segments of a path: enough to recognise a handler, short enough for a column. */
function shortPath(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.length <= 2 ? path : `…/${parts.slice(-2).join("/")}`;
}
