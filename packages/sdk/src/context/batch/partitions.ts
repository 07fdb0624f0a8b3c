import { ValidationError } from "../../errors/validation-error.js";
import type { PartitionKey } from "../../types/batch.js";

/**
 * The FIFO order of a keyed batch: for each unit, the next unit with the same key (or -1), and the
 * first unit of every key. Int32Arrays keep a 100k-item batch to a few hundred KiB.
 */
export interface PartitionChains {
  next: Int32Array;
  heads: number[];
}

/** Reads and checks every key before anything runs, so a bad key fails the map up front. */
export function partitionKeysOf<TItem>(
  operation: string,
  items: readonly TItem[],
  partitionKey: (item: TItem, index: number) => PartitionKey,
): PartitionKey[] {
  return items.map((item, index) => {
    const key: unknown = partitionKey(item, index);
    if (typeof key === "string") return key;
    if (typeof key === "number" && Number.isFinite(key)) return key;
    throw new ValidationError(
      `${operation}: partitionKey returned ${describe(key)} for item ${index}; it must return a string or a finite number ` +
        "(e.g. the device id or message group id).",
    );
  });
}

/** Chains units with equal keys (compared with ===) in input order. */
export function chainPartitions(keys: readonly PartitionKey[]): PartitionChains {
  const next = new Int32Array(keys.length).fill(-1);
  const last = new Map<PartitionKey, number>();
  const heads: number[] = [];
  keys.forEach((key, index) => {
    const previous = last.get(key);
    if (previous === undefined) heads.push(index);
    else next[previous] = index;
    last.set(key, index);
  });
  return { next, heads };
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === "number") return String(value);
  return typeof value;
}
