import { createHash } from "node:crypto";

/** Longest operation id a store accepts (the Lambda service's limit; ids are `[A-Za-z0-9_-]`). */
export const MAX_OPERATION_ID_LENGTH = 64;

/**
 * The id of the `position`th operation (1-based) of the context `parentId` (undefined: the
 * handler's root): `3`, `3-2`, `3-2-1`… Deep nesting would outgrow 64 characters, so a longer id is
 * replaced by `h` and 32 hex digits of its SHA-256: still a pure function of the position, so
 * replay finds the same operation, and its children continue from the short form.
 */
export function childOperationId(parentId: string | undefined, position: number): string {
  const id = parentId === undefined ? String(position) : `${parentId}-${position}`;
  if (id.length <= MAX_OPERATION_ID_LENGTH) return id;
  return `h${createHash("sha256").update(id).digest("hex").slice(0, 32)}`;
}
