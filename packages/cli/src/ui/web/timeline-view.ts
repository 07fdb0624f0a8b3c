// The timeline: one row per operation, a bar from its start to its end on a shared time axis,
// invocations as bands behind the rows. Rows are virtualised — only those in (or near) the
// scrolled window are in the DOM — so a 10 000-operation execution renders as fast as a small one.
import { mapRowNote, partitionRowNote } from "./distributed-map-panel.js";
import { h, replaceChildren } from "./dom.js";
import { displayName, formatDuration, statusClass } from "./format.js";
import { rowStatus, visibleRows, type Span, type TimelineModel, type TimelineRow } from "./timeline-model.js";

/** Height of a row in pixels; fixed so a row's position is its index times this. */
const ROW_HEIGHT = 24;
/** Up to this many visible rows are all rendered; past it, only the window plus {@link OVERSCAN}. */
const RENDER_ALL_UP_TO = 200;
/** Rows rendered above and below the scrolled window, so fast scrolling shows no gaps. */
const OVERSCAN = 20;

/** What the timeline reports back to the execution view. */
export interface TimelineCallbacks {
  /** A row was clicked. */
  onSelect(operationId: string): void;
  /** A row's children were shown or hidden. */
  onToggle(operationId: string): void;
}

/** The timeline's state that outlives a refresh: collapsed batches, selection, scroll position. */
export interface TimelineState {
  /** Ids of the rows whose children are hidden. */
  collapsed: Set<string>;
  /** The selected operation. */
  selected?: string | undefined;
  /** Scroll offset of the rows, in pixels. */
  scrollTop: number;
}

/** A rendered timeline; `update` re-renders it in place after a refresh or a toggle. */
export class TimelineView {
  readonly element: HTMLElement;
  readonly #scroller: HTMLElement;
  readonly #canvas: HTMLElement;
  readonly #rowsLayer: HTMLElement;
  readonly #bands: HTMLElement;
  readonly #axis: HTMLElement;
  #model: TimelineModel;
  #rows: TimelineRow[] = [];
  #frame = 0;

  constructor(
    model: TimelineModel,
    readonly state: TimelineState,
    private readonly callbacks: TimelineCallbacks,
  ) {
    this.#model = model;
    this.#axis = h("div", { class: "tl-axis" });
    this.#bands = h("div", { class: "tl-bands", "aria-hidden": "true" });
    this.#rowsLayer = h("div", { class: "tl-rows" });
    this.#canvas = h("div", { class: "tl-canvas" }, this.#bands, this.#rowsLayer);
    this.#scroller = h("div", { class: "tl-scroll" }, this.#canvas);
    this.#scroller.addEventListener("scroll", () => {
      this.state.scrollTop = this.#scroller.scrollTop;
      if (this.#rows.length > RENDER_ALL_UP_TO && this.#frame === 0) {
        this.#frame = requestAnimationFrame(() => {
          this.#frame = 0;
          this.#renderWindow();
        });
      }
    });
    this.element = h(
      "section",
      { class: "timeline", "data-testid": "timeline" },
      h("div", { class: "tl-head" }, h("div", { class: "tl-label-head" }, "operation"), this.#axis),
      this.#scroller,
      legend(),
    );
  }

  /** Renders `model` (a fresh one after a refresh), keeping collapsed rows, selection and scroll. */
  update(model: TimelineModel): void {
    this.#model = model;
    this.#rows = visibleRows(model, this.state.collapsed);
    this.element.dataset.rowCount = String(model.count);
    this.#canvas.style.height = `${Math.max(1, this.#rows.length) * ROW_HEIGHT}px`;
    this.#renderAxis();
    this.#renderBands();
    if (this.#scroller.scrollTop !== this.state.scrollTop) this.#scroller.scrollTop = this.state.scrollTop;
    this.#renderWindow();
  }

  /** Scrolls the row of `operationId` into view, if it is shown. */
  reveal(operationId: string): void {
    const index = this.#rows.findIndex((row) => row.op.Id === operationId);
    if (index >= 0) this.#scroller.scrollTop = Math.max(0, index * ROW_HEIGHT - this.#scroller.clientHeight / 2);
  }

  #renderWindow(): void {
    let from = 0;
    let to = this.#rows.length;
    if (this.#rows.length > RENDER_ALL_UP_TO) {
      // Before the first layout clientHeight is 0: assume a screenful so the first paint has rows.
      const height = this.#scroller.clientHeight || 800;
      from = Math.max(0, Math.floor(this.#scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
      to = Math.min(this.#rows.length, Math.ceil((this.#scroller.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    }
    const fragment = document.createDocumentFragment();
    for (let i = from; i < to; i++) fragment.appendChild(this.#renderRow(this.#rows[i] as TimelineRow, i));
    replaceChildren(this.#rowsLayer, fragment);
    this.element.dataset.renderedRows = String(to - from);
  }

  #renderRow(row: TimelineRow, index: number): HTMLElement {
    const { op } = row;
    const collapsed = this.state.collapsed.has(op.Id);
    const toggle =
      row.children.length > 0
        ? h(
            "button",
            {
              class: "tl-toggle",
              type: "button",
              "data-testid": "toggle-children",
              "aria-expanded": String(!collapsed),
              title: `${collapsed ? "show" : "hide"} ${row.children.length} operation${row.children.length === 1 ? "" : "s"} inside`,
              onclick: (event) => {
                event.stopPropagation();
                this.callbacks.onToggle(op.Id);
              },
            },
            collapsed ? "▸" : "▾",
          )
        : h("span", { class: "tl-toggle-space" });
    const label = h(
      "div",
      { class: "tl-label", style: `padding-left:${6 + row.depth * 14}px`, title: `${displayName(op)} · ${op.Id} · ${op.Type}${op.SubType ? `/${op.SubType}` : ""} · ${op.Status}` },
      toggle,
      h("span", { class: `tl-dot ${statusClass(rowStatus(row))}` }),
      h("span", { class: "tl-name" }, displayName(op)),
      h("span", { class: "tl-id" }, op.Id),
      row.distributedMap ? h("span", { class: "tl-count tl-dm-note" }, mapRowNote(row.distributedMap)) : null,
      row.partition ? h("span", { class: "tl-count tl-dm-note" }, partitionRowNote(row.partition)) : null,
      collapsed ? h("span", { class: "tl-count" }, `${row.children.length} inside`) : null,
    );
    const element = h(
      "div",
      {
        class: `tl-row${this.state.selected === op.Id ? " selected" : ""}`,
        style: `top:${index * ROW_HEIGHT}px`,
        role: "button",
        tabindex: 0,
        "data-testid": "timeline-row",
        "data-operation-id": op.Id,
        "data-status": op.Status,
        "data-type": op.Type,
        "data-subtype": op.SubType,
        "data-timed-out": row.timedOut ? "true" : undefined,
        "data-synthetic": row.synthetic ? "true" : undefined,
        "data-partition": row.partition?.partition,
        "data-partition-status": row.partition?.status,
        onclick: () => this.callbacks.onSelect(op.Id),
        onkeydown: (event) => {
          if ((event as KeyboardEvent).key === "Enter") this.callbacks.onSelect(op.Id);
        },
      },
      label,
      h("div", { class: "tl-track" }, this.#renderBar(row)),
    );
    return element;
  }

  #renderBar(row: TimelineRow): HTMLElement {
    const classes = ["tl-bar", statusClass(rowStatus(row))];
    if (row.waiting) classes.push("waiting");
    if (row.abandoned) classes.push("abandoned");
    if (row.running) classes.push("running");
    if (row.attempts.length > 0) classes.push("has-attempts");
    const duration = row.bar.end - row.bar.start;
    const bar = h("div", {
      class: classes.join(" "),
      style: this.#position(row.bar),
      title: `${row.op.Status}${row.abandoned ? " (abandoned: the execution ended first)" : ""} · ${formatDuration(duration)}${row.running ? " so far" : ""}`,
    });
    if (row.op.Type === "STEP") {
      // Placed from the nearer end of the bar, so a segment widened to its minimum width (a
      // 0 ms attempt) grows into the bar instead of out of it.
      const within = (span: Span): string => {
        if (duration <= 0) return "left:0;width:100%";
        const width = `width:${((span.end - span.start) / duration) * 100}%`;
        const left = (span.start - row.bar.start) / duration;
        const right = (row.bar.end - span.end) / duration;
        return left <= right ? `left:${left * 100}%;${width}` : `right:${right * 100}%;${width}`;
      };
      for (const delay of row.retryDelays) {
        bar.appendChild(h("div", { class: "tl-retry-delay", style: within(delay), title: `retry delay ${formatDuration(delay.end - delay.start)}` }));
      }
      for (const attempt of row.attempts) {
        bar.appendChild(
          h("div", {
            class: `tl-attempt outcome-${attempt.outcome.toLowerCase()}`,
            "data-attempt": attempt.number,
            style: within(attempt),
            title: `attempt ${attempt.number}: ${attempt.outcome.toLowerCase()} · ${formatDuration(attempt.end - attempt.start)}`,
          }),
        );
      }
    }
    return bar;
  }

  #position(span: Span): string {
    const { start, end } = this.#model.range;
    const total = Math.max(1, end - start);
    const left = ((span.start - start) / total) * 100;
    const width = ((span.end - span.start) / total) * 100;
    return `left:${left.toFixed(4)}%;width:${width.toFixed(4)}%`;
  }

  #renderBands(): void {
    const fragment = document.createDocumentFragment();
    this.#model.invocations.forEach((span, i) => {
      fragment.appendChild(
        h("div", {
          class: "tl-invocation",
          "data-invocation": i + 1,
          style: this.#position(span),
          title: `invocation ${i + 1} · ${formatDuration(span.end - span.start)}`,
        }),
      );
    });
    replaceChildren(this.#bands, fragment);
  }

  #renderAxis(): void {
    const { start, end } = this.#model.range;
    const total = Math.max(1, end - start);
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) =>
      h("span", { class: "tl-tick", style: `left:${f * 100}%` }, f === 0 ? "0" : `+${formatDuration(total * f)}`),
    );
    replaceChildren(this.#axis, ...ticks);
  }
}

function legend(): HTMLElement {
  const item = (cls: string, text: string): HTMLElement => h("span", { class: "tl-legend-item" }, h("span", { class: `tl-swatch ${cls}` }), text);
  return h(
    "div",
    { class: "tl-legend" },
    item("status-succeeded", "succeeded"),
    item("status-failed", "failed"),
    item("status-timed-out", "timed out"),
    item("status-started", "running"),
    item("abandoned", "started, never finished"),
    item("status-skipped", "skipped (never ran)"),
    item("waiting", "waiting"),
    item("retry", "retry delay"),
    item("invocation", "invocation (handler running)"),
  );
}
