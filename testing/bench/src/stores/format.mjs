// Plain-text tables and numbers for the stores group's output.

/** Rows of cells as aligned columns: the first `leftColumns` left-aligned, the rest right-aligned; a rule under the header. */
export function table(rows, leftColumns = 2) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r, i) => {
      const line = r.map((v, c) => (c < leftColumns ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join("  ");
      return i === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n")
    .replace(/ +$/gm, "");
}

/** Three significant digits, no exponent. */
export function fmt(value) {
  if (value === undefined || value === null || !Number.isFinite(value)) return "-";
  if (value === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(Math.min(digits, 4));
}

/**
 * Counts the requests `client` sends, in total and by command (GetItem, Query, …), through its
 * middleware, into `counts` (its `total` and `byCommand`), which fills in as the client works.
 */
export function countRequests(client, counts = { total: 0, byCommand: {} }) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.total++;
      const name = (context.commandName ?? "unknown").replace(/Command$/, "");
      counts.byCommand[name] = (counts.byCommand[name] ?? 0) + 1;
      return next(args);
    },
    { step: "initialize", name: "benchCountRequests" },
  );
  return counts;
}
