import type { OperationInfo } from "@cairn/sdk";

/** `MapIteration` → `map_iteration`, `CHAINED_INVOKE` → `chained_invoke`. */
function snake(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * An operation's span name: its kind, then the name the handler gave it (`step charge-card`,
 * `wait settle`, `map_iteration`). Ids stay out of names (they are attributes), so names group well.
 */
export function operationSpanName(info: Pick<OperationInfo, "type" | "subType" | "name">): string {
  const kind = snake(info.subType ?? info.type);
  return info.name ? `${kind} ${info.name}` : kind;
}

/** An attempt's span name, e.g. `attempt 2`. */
export function attemptSpanName(attempt: number): string {
  return `attempt ${attempt}`;
}

/** The invocation span's name. */
export const INVOCATION_SPAN_NAME = "invocation";
