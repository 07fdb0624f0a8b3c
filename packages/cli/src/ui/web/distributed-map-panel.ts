// A distributed map's progress as counts: its children (planned, started, running, finished, not
// started, failed), its items (succeeded, failed, timed out, skipped, pending, total) with a bar
// when the plan knows the total, and why it completed. The partitions themselves are rows of the
// timeline (virtualised), annotated by the short labels below.
import type { DistributedMapProgress, DistributedMapCounts, DistributedMapPartitionProgress } from "@cairn/sdk/progress";
import { h } from "./dom.js";
import { statusClass } from "./format.js";

const COUNT_LABELS: [keyof DistributedMapCounts, string][] = [
  ["succeeded", "succeeded"],
  ["failed", "failed"],
  ["timedOut", "timed out"],
  ["skipped", "skipped"],
  ["pending", "pending"],
  ["total", "total"],
];

/**
 * The panels of an execution's distributed maps; null when it has none. `executionEnded`: a map
 * still STARTED then is not running but abandoned, and is shown as STARTED.
 */
export function distributedMapsPanel(maps: readonly DistributedMapProgress[], executionEnded: boolean, onShow: (operationId: string) => void): HTMLElement | null {
  if (maps.length === 0) return null;
  return h(
    "section",
    { class: "distributed-maps" },
    h("h2", {}, maps.length === 1 ? "distributed map" : "distributed maps"),
    ...maps.map((map) => mapPanel(map, map.status === "STARTED" && !executionEnded, onShow)),
  );
}

function mapPanel(map: DistributedMapProgress, running: boolean, onShow: (operationId: string) => void): HTMLElement {
  const { children, counts } = map;
  const figure = (name: string, label: string, value: number): HTMLElement =>
    h("div", { class: "dm-figure", "data-count": name }, h("span", { class: "dm-value" }, String(value)), h("span", { class: "dm-label" }, label));
  return h(
    "div",
    { class: "dm", "data-testid": "distributed-map", "data-operation-id": map.operationId, "data-status": map.status },
    h(
      "div",
      { class: "dm-head" },
      h("h3", {}, map.name),
      h("span", { class: `badge ${statusClass(running ? "RUNNING" : map.status)}`, "data-testid": "dm-status" }, running ? "RUNNING" : map.status),
      map.completionReason !== undefined ? h("span", { class: "dm-reason", "data-testid": "dm-completion-reason" }, map.completionReason) : null,
      h("button", { type: "button", class: "dm-show", onclick: () => onShow(map.operationId) }, "show in timeline"),
    ),
    h(
      "div",
      { class: "dm-group", "data-testid": "dm-children" },
      h("h4", {}, "children"),
      figure("planned", "planned", map.planned),
      figure("started", "started", children.started),
      figure("running", "running", children.running),
      figure("finished", "finished", children.finished),
      figure("failed", "failed", children.failed),
      figure("notStarted", running ? "not started yet" : "not started", children.notStarted + children.queued),
    ),
    h("div", { class: "dm-group", "data-testid": "dm-items" }, h("h4", {}, "items"), ...COUNT_LABELS.map(([name, label]) => figure(name, label, counts[name]))),
    progressBar(map),
    map.errorMessage !== undefined ? h("p", { class: "error-text" }, map.errorMessage) : null,
  );
}

/** Processed items over the plan's total, split by outcome; only when the plan knows the total. */
function progressBar(map: DistributedMapProgress): HTMLElement | null {
  const total = map.totalItems;
  if (total === undefined || total <= 0) return null;
  const { counts } = map;
  const width = (n: number): string => `width:${Math.min(100, (n / total) * 100).toFixed(3)}%`;
  const percent = Math.min(100, Math.floor((map.processed / total) * 100));
  return h(
    "div",
    { class: "dm-progress", "data-testid": "dm-progress", "data-processed": map.processed, "data-total": total },
    h(
      "div",
      {
        class: "dm-bar",
        role: "progressbar",
        "aria-valuemin": 0,
        "aria-valuemax": total,
        "aria-valuenow": map.processed,
        title: `${map.processed} of ${total} items processed`,
      },
      h("div", { class: "dm-seg status-succeeded", style: width(counts.succeeded) }),
      h("div", { class: "dm-seg status-failed", style: width(counts.failed) }),
      h("div", { class: "dm-seg status-timed-out", style: width(counts.timedOut) }),
      h("div", { class: "dm-seg status-skipped", style: width(counts.skipped) }),
    ),
    h("span", { class: "dm-progress-text" }, `${map.processed} of ${total} items processed (${percent}%)`),
  );
}

/** The short note on a map's timeline row: children finished and items processed. */
export function mapRowNote(map: DistributedMapProgress): string {
  const items = map.totalItems === undefined ? `${map.processed} items` : `${map.processed}/${map.totalItems} items`;
  return `${map.children.finished}/${map.planned} children · ${items}`;
}

/** The short note on a partition's timeline row: its status and, once it finished, its counts. */
export function partitionRowNote(partition: DistributedMapPartitionProgress): string {
  const status = partition.status.toLowerCase().replace(/_/g, " ");
  const counts = partition.counts;
  if (counts === undefined) return status;
  const parts = [`${counts.succeeded} ok`];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.timedOut > 0) parts.push(`${counts.timedOut} timed out`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  return `${status} · ${parts.join(", ")}`;
}
