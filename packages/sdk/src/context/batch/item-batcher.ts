import { ValidationError } from "../../errors/validation-error.js";
import type { ItemBatcher, PartitionKey } from "../../types/batch.js";

/**
 * Groups item indexes into chunks, in input order: a chunk closes when the next item would pass
 * maxItemsPerBatch or maxBytesPerBatch. With keys, a chunk holds one key's items only (each key
 * keeps its own open chunk) and chunks are ordered by their first item. Deterministic: the same
 * items and config always give the same chunks, which replay relies on.
 */
export function formChunks(
  operation: string,
  items: readonly unknown[],
  batcher: ItemBatcher,
  keys?: readonly PartitionKey[],
): number[][] {
  const { maxItemsPerBatch, maxBytesPerBatch } = batcher;
  const chunks: number[][] = [];
  const open = new Map<PartitionKey | undefined, { indexes: number[]; bytes: number }>();
  items.forEach((item, index) => {
    const size = maxBytesPerBatch === undefined ? 0 : byteSize(operation, item, index);
    if (maxBytesPerBatch !== undefined && size > maxBytesPerBatch) {
      throw new ValidationError(
        `${operation}: item ${index} is ${size} bytes as JSON, more than itemBatcher.maxBytesPerBatch (${maxBytesPerBatch}); ` +
          "raise the limit or send such items another way.",
      );
    }
    const key = keys?.[index];
    let chunk = open.get(key);
    if (chunk && (chunk.indexes.length >= maxItemsPerBatch || (maxBytesPerBatch !== undefined && chunk.bytes + size > maxBytesPerBatch))) {
      chunks.push(chunk.indexes);
      chunk = undefined;
    }
    if (!chunk) {
      chunk = { indexes: [], bytes: 0 };
      open.set(key, chunk);
    }
    chunk.indexes.push(index);
    chunk.bytes += size;
  });
  for (const chunk of open.values()) chunks.push(chunk.indexes);
  if (keys) chunks.sort((a, b) => (a[0] as number) - (b[0] as number));
  return chunks;
}

function byteSize(operation: string, item: unknown, index: number): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(item);
  } catch (error) {
    throw new ValidationError(
      `${operation}: item ${index} cannot be measured for itemBatcher.maxBytesPerBatch (${(error as Error).message}); pass JSON-compatible items or drop maxBytesPerBatch.`,
    );
  }
  return text === undefined ? 0 : Buffer.byteLength(text, "utf8");
}
