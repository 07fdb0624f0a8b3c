import type { OperationUpdate } from "@cairn/sdk";

/** The Lambda service's bounds on one CheckpointDurableExecution call. */
export const MAX_UPDATES_PER_CALL = 250;
export const MAX_BYTES_PER_CALL = 750 * 1024;

/**
 * Splits updates, in order, into calls within the service's bounds, measured on the JSON that is
 * actually sent (escaping can make a payload larger than the engine's estimate). An update larger
 * than the byte bound on its own (an execution result checkpointed because it outgrew the
 * invocation response) goes alone.
 */
export function chunkUpdates(
  updates: readonly OperationUpdate[],
  maxUpdates = MAX_UPDATES_PER_CALL,
  maxBytes = MAX_BYTES_PER_CALL,
): OperationUpdate[][] {
  const chunks: OperationUpdate[][] = [];
  let current: OperationUpdate[] = [];
  let bytes = 0;
  for (const update of updates) {
    const size = Buffer.byteLength(JSON.stringify(update), "utf8") + 1;
    if (current.length > 0 && (current.length >= maxUpdates || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(update);
    bytes += size;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks;
}
