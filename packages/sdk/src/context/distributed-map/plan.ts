import { ValidationError } from "../../errors/validation-error.js";
import type { DistributedMapConfig, DistributedMapDefinition } from "../../types/distributed-map.js";
import type { ResolvedSource } from "./sources.js";

/** One child's share of the source. */
export interface PlannedPartition {
  range?: [number, number];
  startCursor?: unknown;
  /** Split by `partitionOf`: `true` for this run's own partition, or the partition of an earlier run it continues. */
  filter?: true | { partition: number; count: number };
}

/** How the source is split; checkpointed by the parent (small: ranges or start cursors, never items). */
export interface Plan {
  partitions: PlannedPartition[];
  /** The number of items, when the source is an array split by position. */
  totalItems?: number;
}

/**
 * Checks, before anything is written, that the config's way of splitting fits the source: by
 * count needs an array, by the source's own partitions needs `partitions(count)`, and
 * `partitionOf` needs a partition count.
 */
export function checkSplit(definition: DistributedMapDefinition<unknown, unknown, unknown>, source: ResolvedSource, config: DistributedMapConfig<unknown>): void {
  const what = `distributedMap("${definition.name}")`;
  if (config.itemsPerChild !== undefined && (source.kind !== "array" || definition.options.partitionOf)) {
    throw new ValidationError(
      `${what}: config.itemsPerChild splits an array source by position; this ${definition.options.partitionOf ? "definition splits by partitionOf" : "source is paginated"}, so use config.partitions.`,
    );
  }
  if (source.kind === "paged" && !definition.options.partitionOf && !source.partitions && (config.partitions ?? 1) > 1) {
    throw new ValidationError(
      `${what}: config.partitions is ${config.partitions}, but the paginated source has no partitions(count) to split it and the definition no partitionOf; ` +
        "give the source a partitions(count) returning start cursors, define partitionOf, or leave config.partitions out (one child).",
    );
  }
}

/** Splits the source; runs in the parent's `plan` step. */
export async function planPartitions(
  definition: DistributedMapDefinition<unknown, unknown, unknown>,
  source: ResolvedSource,
  config: DistributedMapConfig<unknown>,
): Promise<Plan> {
  const requested = config.partitions ?? 1;
  if (definition.options.partitionOf) {
    return { partitions: Array.from({ length: requested }, () => ({ filter: true as const })) };
  }
  if (source.kind === "array") {
    const total = source.items.length;
    const size = config.itemsPerChild ?? Math.max(1, Math.ceil(total / requested));
    const partitions: PlannedPartition[] = [];
    for (let start = 0; start < total; start += size) partitions.push({ range: [start, Math.min(total, start + size)] });
    return { partitions, totalItems: total };
  }
  if (!source.partitions) return { partitions: [{}] };
  const cursors = await source.partitions(requested);
  if (!Array.isArray(cursors) || cursors.length === 0) {
    throw new ValidationError(`distributed map "${definition.name}": the source's partitions(${requested}) must return a non-empty array of start cursors.`);
  }
  return { partitions: cursors.map((startCursor: unknown) => ({ startCursor })) };
}
