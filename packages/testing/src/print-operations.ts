import type { Operation } from "@cairn/sdk";

/**
 * Which columns `result.print()` shows; all default to true, and the ID column is always shown.
 * Turn the time columns off for output that stays the same from run to run.
 */
export interface PrintConfig {
  /** The PARENT column: the id of the context the operation ran in. */
  parentId?: boolean;
  /** The NAME column, indented by nesting so the table reads as the operation tree. */
  name?: boolean;
  /** The TYPE column (STEP, WAIT, CONTEXT, …). */
  type?: boolean;
  /** The SUBTYPE column (Step, Map, MapIteration, WaitForCallback, …). */
  subType?: boolean;
  /** The STATUS column. */
  status?: boolean;
  /** The START column, as an ISO timestamp. */
  startTime?: boolean;
  /** The END column, as an ISO timestamp. */
  endTime?: boolean;
  /** The DURATION column, e.g. `850ms`, `1h 2m 3s`. */
  duration?: boolean;
}

interface Column {
  key: keyof PrintConfig | "id";
  title: string;
  cell: (op: Operation, depth: number) => string;
}

const COLUMNS: readonly Column[] = [
  { key: "id", title: "ID", cell: (op) => op.Id },
  { key: "parentId", title: "PARENT", cell: (op) => op.ParentId ?? "-" },
  // Indenting the name turns the table into the operation tree.
  { key: "name", title: "NAME", cell: (op, depth) => `${"  ".repeat(depth)}${op.Name ?? "-"}` },
  { key: "type", title: "TYPE", cell: (op) => op.Type },
  { key: "subType", title: "SUBTYPE", cell: (op) => op.SubType ?? "-" },
  { key: "status", title: "STATUS", cell: (op) => op.Status },
  { key: "startTime", title: "START", cell: (op) => op.StartTimestamp.toISOString() },
  { key: "endTime", title: "END", cell: (op) => op.EndTimestamp?.toISOString() ?? "-" },
  {
    key: "duration",
    title: "DURATION",
    cell: (op) => (op.EndTimestamp ? formatDuration(op.EndTimestamp.getTime() - op.StartTimestamp.getTime()) : "-"),
  },
];

/** "850ms", "12.5s", "1h 2m 3s": skipped waits are often hours long. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${milliseconds}ms`;
  if (milliseconds < 60_000) return `${Number((milliseconds / 1000).toFixed(3))}s`;
  const total = Math.round(milliseconds / 1000);
  const parts: string[] = [];
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (seconds) parts.push(`${seconds}s`);
  return parts.join(" ");
}

/** Operations in tree order (each followed by its children) with their depth. */
function treeOrder(operations: readonly Operation[]): Array<{ op: Operation; depth: number }> {
  const ids = new Set(operations.map((op) => op.Id));
  const children = new Map<string, Operation[]>();
  const roots: Operation[] = [];
  for (const op of operations) {
    if (op.ParentId !== undefined && ids.has(op.ParentId)) {
      const list = children.get(op.ParentId) ?? [];
      list.push(op);
      children.set(op.ParentId, list);
    } else {
      roots.push(op);
    }
  }
  const out: Array<{ op: Operation; depth: number }> = [];
  const visit = (op: Operation, depth: number): void => {
    out.push({ op, depth });
    for (const child of children.get(op.Id) ?? []) visit(child, depth + 1);
  };
  roots.forEach((op) => visit(op, 0));
  return out;
}

/**
 * A plain-text table of the operations (as the service stores them), children indented under
 * their parent: what `result.print(config)` writes to the console, returned as a string instead.
 * `"No operations found."` when there are none.
 */
export function formatOperationTable(operations: readonly Operation[], config: PrintConfig = {}): string {
  if (operations.length === 0) return "No operations found.";
  const columns = COLUMNS.filter((c) => c.key === "id" || config[c.key] !== false);
  const rows = treeOrder(operations).map(({ op, depth }) => columns.map((c) => c.cell(op, depth)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.title)), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
