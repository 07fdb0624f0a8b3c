import type { BatchResult, MapConfig, MapFunc } from "../../types/batch.js";
import type { ContextImpl } from "../durable-context-impl.js";
import { quotedName } from "../payloads.js";
import { unitLayout } from "./batch-layout.js";
import { runBatch, type BatchUnits } from "./batch-operation.js";
import { checkPartitionKeyOption } from "./batch-options.js";
import { chainPartitions, partitionKeysOf } from "./partitions.js";

/** ctx.map: one child context per item; with partitionKey, items of a key run in input order. */
export function runMap<TInput, TOutput>(
  ctx: ContextImpl,
  name: string | undefined,
  items: readonly TInput[],
  fn: MapFunc<TInput, TOutput>,
  config: MapConfig<TInput, TOutput>,
): Promise<BatchResult<TOutput>> {
  const label = `map${quotedName(name)}`;
  checkPartitionKeyOption(label, config.partitionKey);
  // Keys are read (and checked) before anything is written.
  const chains = config.partitionKey ? chainPartitions(partitionKeysOf(label, items, config.partitionKey)) : undefined;
  const namer = config.itemNamer;
  // Made when an item starts, not up front: nothing per item is held while it waits or after it ends.
  const units: BatchUnits<TOutput> = {
    length: items.length,
    at: (index) => {
      const item = items[index] as TInput;
      return {
        // Unnamed items are named by position, as the AWS SDK names them, so lookups by name port.
        name: (namer && namer(item, index)) || `map-item-${index}`,
        // The caller's own array, typed mutable as the AWS SDK types it; map never writes to it.
        run: (c) => fn(c, item, index, items as TInput[]),
      };
    },
  };
  return runBatch(ctx, "map", name, units, config, unitLayout<TOutput>(items.length, chains));
}
