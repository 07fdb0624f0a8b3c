import {
  colorStatus,
  formatDuration,
  operationDuration,
  operationType,
  renderColumns,
  statusSymbol,
  stepAttempt,
} from "./format.js";
import { colors, type Colors } from "./output.js";
import type { Operation } from "@cairn/sdk";
import { compareOperationIds } from "./operation-order.js";

export { compareOperationIds };

/** The id the service gives the EXECUTION operation; it is the root, not a row. */
const EXECUTION_OPERATION_ID = "0";

/** One operation in the tree {@link buildOperationTree} makes. */
export interface OperationNode {
  /** The operation as the service stores it. */
  operation: Operation;
  /** Nesting level: 0 for the handler's own operations, 1 inside a child context, and so on. */
  depth: number;
  /** The operations started directly inside this one, in the order the handler called them. */
  children: OperationNode[];
}


/**
 * Nests operations under their ParentId. An operation whose parent is missing (or is the
 * execution itself) becomes a root, so a partial list still renders every operation once.
 */
export function buildOperationTree(operations: readonly Operation[]): OperationNode[] {
  const rows = operations.filter((op) => op.Type !== "EXECUTION" && op.Id !== EXECUTION_OPERATION_ID);
  const byId = new Map<string, OperationNode>();
  for (const operation of rows) byId.set(operation.Id, { operation, depth: 0, children: [] });
  const roots: OperationNode[] = [];
  for (const node of byId.values()) {
    const parentId = node.operation.ParentId;
    const parent = parentId === undefined ? undefined : byId.get(parentId);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const order = (nodes: OperationNode[], depth: number): void => {
    nodes.sort((a, b) => compareOperationIds(a.operation.Id, b.operation.Id));
    for (const node of nodes) {
      node.depth = depth;
      order(node.children, depth + 1);
    }
  };
  order(roots, 0);
  return roots;
}

/** The tree's nodes as one list, depth-first, each parent before its children: the order the tree is printed in. */
export function flattenOperationTree(roots: readonly OperationNode[]): OperationNode[] {
  const out: OperationNode[] = [];
  const visit = (node: OperationNode): void => {
    out.push(node);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return out;
}

/** How {@link renderOperationTree} renders. */
export interface RenderTreeOptions {
  /** Running operations show their duration so far against this time (default: now). */
  now?: Date;
  /** ANSI styles to use; default none (plain text). Pass `out.color` to follow the terminal. */
  color?: Colors;
  /** Prefix for every line (default two spaces). */
  indent?: string;
}

/**
 * The operation tree as aligned text lines: name indented by nesting, then id, type/sub-type,
 * status, attempt (steps) and duration — the table `cairn run` and `cairn inspect` print. The
 * EXECUTION operation is left out; a running operation's duration is marked `+`.
 *
 * @example
 * ```ts
 * const operations = await service.getOperations(executionArn);
 * for (const line of renderOperationTree(operations)) console.log(line);
 * ```
 */
export function renderOperationTree(operations: readonly Operation[], options: RenderTreeOptions = {}): string[] {
  const color = options.color ?? colors(false);
  const now = options.now ?? new Date();
  const indent = options.indent ?? "  ";
  const nodes = flattenOperationTree(buildOperationTree(operations));
  if (nodes.length === 0) return [`${indent}${color.dim("(no operations)")}`];
  const header = ["OPERATION", "ID", "TYPE", "STATUS", "ATTEMPT", "DURATION"].map((h) => color.dim(h));
  const rows = nodes.map(({ operation, depth }) => {
    const name = operation.Name ?? color.dim("(unnamed)");
    const attempt = stepAttempt(operation);
    const duration = formatDuration(operationDuration(operation, now));
    return [
      `${"  ".repeat(depth)}${statusSymbol(operation.Status, color)} ${name}`,
      operation.Id,
      operationType(operation),
      colorStatus(operation.Status, color),
      attempt === undefined ? "" : String(attempt),
      operation.EndTimestamp === undefined ? color.dim(`${duration}+`) : duration,
    ];
  });
  return renderColumns([header, ...rows]).map((line) => indent + line);
}
