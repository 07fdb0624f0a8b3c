import { BatchItemStatus, type BatchItem, type BatchResult, type MapBatchesConfig, type MapBatchFunc } from "../../types/batch.js";
import type { ChildContextError } from "../../errors/durable-errors.js";
import type { ContextImpl } from "../durable-context-impl.js";
import { quotedName } from "../payloads.js";
import { itemOf, type BatchLayout } from "./batch-layout.js";
import { runBatch, type BatchUnit } from "./batch-operation.js";
import { checkItemBatcher, checkPartitionKeyOption } from "./batch-options.js";
import { formChunks } from "./item-batcher.js";
import { chainPartitions, partitionKeysOf } from "./partitions.js";
import type { UnitResults } from "./scheduler.js";

/**
 * ctx.mapBatches: one child context per chunk of items (e.g. 25 per DynamoDB BatchWriteItem), so a
 * chunk is retried and timed out as one unit, while the BatchResult still reports every input item:
 * a succeeded chunk's items carry their own results, a failed chunk's items all carry its error.
 */
export function runMapBatches<TInput, TOutput>(
  ctx: ContextImpl,
  name: string | undefined,
  items: readonly TInput[],
  fn: MapBatchFunc<TInput, TOutput>,
  config: MapBatchesConfig<TInput, TOutput>,
): Promise<BatchResult<TOutput>> {
  const label = `mapBatches${quotedName(name)}`;
  const batcher = checkItemBatcher(label, config.itemBatcher);
  checkPartitionKeyOption(label, config.partitionKey);
  const keys = config.partitionKey ? partitionKeysOf(label, items, config.partitionKey) : undefined;
  const chunks = formChunks(label, items, batcher, keys);
  const chains = keys ? chainPartitions(chunks.map((chunk) => keys[chunk[0] as number] as string | number)) : undefined;

  const units: BatchUnit<TOutput[]>[] = chunks.map((indexes, batchIndex) => {
    const info = { batchIndex, indexes };
    const batch = (): TInput[] => indexes.map((i) => items[i] as TInput);
    return {
      // Named by position when unnamed, like map items (`map-item-<i>`).
      name: (config.batchNamer && config.batchNamer(batch(), info)) || `map-batch-${batchIndex}`,
      run: async (c) => {
        const results = await fn(c, batch(), info);
        if (!Array.isArray(results) || results.length !== indexes.length) {
          throw new TypeError(
            `${label} chunk ${batchIndex}: the batch function must return one result per item (${indexes.length}), ` +
              `got ${Array.isArray(results) ? `${results.length}` : typeof results}.`,
          );
        }
        return results as TOutput[];
      },
    };
  });

  const layout: BatchLayout<TOutput[], TOutput> = {
    totalItems: items.length,
    chains,
    weight: (unit) => (chunks[unit] as number[]).length,
    itemStatuses: (unitStatuses) => {
      const perItem = items.map((_, index) => ({ index }) as { index: number; status?: BatchItemStatus });
      unitStatuses.forEach((status, unit) => {
        if (status !== undefined) for (const index of chunks[unit] as number[]) (perItem[index] as { status?: BatchItemStatus }).status = status;
      });
      return perItem;
    },
    build: (statuses, results) => expand(chunks, statuses, results),
  };
  return runBatch(ctx, "mapBatches", name, units, config, layout);
}

/** One BatchItem per input item of every started or skipped chunk, in input order. */
function expand<T>(chunks: readonly number[][], statuses: readonly (BatchItemStatus | undefined)[], results: UnitResults<T[]>): BatchItem<T>[] {
  const items: BatchItem<T>[] = [];
  chunks.forEach((indexes, unit) => {
    const status = statuses[unit];
    if (status === undefined) return;
    const result = results[unit];
    indexes.forEach((index, position) => {
      if (status === BatchItemStatus.SUCCEEDED) items.push({ index, status, result: (result as T[])[position] as T });
      else items.push(itemOf<T>(index, status, result as ChildContextError | undefined));
    });
    // Built: let a collection reclaim the chunk's result (see BatchLayout.build).
    results[unit] = undefined;
  });
  return items.sort((a, b) => a.index - b.index);
}
