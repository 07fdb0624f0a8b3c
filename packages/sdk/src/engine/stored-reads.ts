import type { CheckpointBackend } from "../protocol/backend.js";
import type { GetDurableExecutionStateRequest, GetDurableExecutionStateResponse } from "../protocol/wire.js";

/**
 * Reads a page of the execution state as the store holds it, not copied. The answer aliases
 * stored operations: a reader must neither change them nor hand them to code that might.
 */
export type StoredStateRead = (request: GetDurableExecutionStateRequest) => Promise<GetDurableExecutionStateResponse>;

const STORED_READ = Symbol("cairn.storedStateRead");

/**
 * Marks `backend` as one whose reads an in-process engine may take uncopied through `read`.
 *
 * Why: a replay reads every operation of the execution, and the service's copy of each one (two
 * Dates and its details, which the engine drops at once for its compact form) was about a sixth
 * of a replay's time at 100 000 operations. The engine only reads what it loads, and stores
 * replace an operation on change rather than edit it, so an uncopied page is safe for it alone.
 */
export function withStoredReads<T extends CheckpointBackend>(backend: T, read: StoredStateRead): T {
  Object.defineProperty(backend, STORED_READ, { value: read, enumerable: false });
  return backend;
}

/** The uncopied read `backend` was marked with, if any (see withStoredReads). */
export function storedReadOf(backend: CheckpointBackend): StoredStateRead | undefined {
  return (backend as unknown as Record<symbol, StoredStateRead | undefined>)[STORED_READ];
}
