import { ValidationError } from "../../errors/validation-error.js";
import type { DistributedMapRemainder, DistributedMapResult } from "../../types/distributed-map.js";
import type { PartitionResult } from "./partition-result.js";
import type { Plan, PlannedPartition } from "./plan.js";
import type { ResolvedSource } from "./sources.js";

// A run's unprocessed part, partition by partition, in the source's own terms (array positions,
// cursors, partitionOf buckets), so a later run can go on from exactly there: the summary names
// it, `config.continueFrom` plans from it.

/**
 * What a partition left unprocessed: all of it when its child never ran (or its execution failed),
 * the rest from the child's first unprocessed page when it stopped early, nothing when it ran to its end.
 */
export function remainderOf(planned: PlannedPartition, partition: number, partitionCount: number, result: PartitionResult | undefined): DistributedMapRemainder | undefined {
  if (result !== undefined && result.unread === undefined) return undefined;
  const remainder: DistributedMapRemainder = {};
  if (planned.filter) remainder.partitionOf = planned.filter === true ? { partition, count: partitionCount } : planned.filter;
  if (result === undefined) {
    if (planned.range) remainder.range = [...planned.range];
    else if ("startCursor" in planned) remainder.cursor = planned.startCursor;
    return remainder;
  }
  const unread = result.unread!;
  if (planned.range) remainder.range = [unread.cursor as number, planned.range[1]];
  else if ("cursor" in unread) remainder.cursor = unread.cursor;
  return remainder;
}

/** Plans a run that goes on from an earlier run's remainders (`config.continueFrom`). */
export function planContinuation(mapName: string, previous: DistributedMapResult, source: ResolvedSource): Plan {
  const partitions: PlannedPartition[] = [];
  let totalItems = 0;
  for (const child of previous.children) {
    const remainder = child.remaining;
    if (remainder === undefined) continue;
    const planned: PlannedPartition = {};
    if (remainder.range) {
      if (source.kind !== "array") {
        throw new ValidationError(`distributedMap("${mapName}"): config.continueFrom has array ranges, but this run's source is paginated; pass the params of the run it continues.`);
      }
      planned.range = [remainder.range[0], Math.min(remainder.range[1], source.items.length)];
      totalItems += Math.max(0, planned.range[1] - planned.range[0]);
    } else if ("cursor" in remainder) planned.startCursor = remainder.cursor;
    if (remainder.partitionOf) planned.filter = { ...remainder.partitionOf };
    partitions.push(planned);
  }
  return source.kind === "array" && partitions.every((p) => p.range) ? { partitions, totalItems } : { partitions };
}

/** Checks `config.continueFrom` before anything is written: an earlier result of the same definition. */
export function checkContinuation(mapName: string, previous: unknown): asserts previous is DistributedMapResult {
  const what = `distributedMap("${mapName}"): config.continueFrom`;
  if (typeof previous !== "object" || previous === null || !Array.isArray((previous as DistributedMapResult).children)) {
    throw new ValidationError(`${what} must be the result of an earlier run of this distributed map (with its children), got ${JSON.stringify(previous)}.`);
  }
  const { map, children } = previous as DistributedMapResult;
  if (map !== mapName) {
    throw new ValidationError(`${what} is a result of "${String(map)}", not of "${mapName}"; a run can only go on from its own definition's result.`);
  }
  for (const child of children) {
    const range = child.remaining?.range;
    if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every((n) => Number.isInteger(n) && n >= 0) && range[0] <= range[1])) {
      throw new ValidationError(`${what}: partition ${child.partition}'s remaining range must be [from, to] whole numbers, got ${JSON.stringify(range)}.`);
    }
    const of = child.remaining?.partitionOf;
    if (of !== undefined && !(Number.isInteger(of.partition) && Number.isInteger(of.count) && of.partition >= 0 && of.partition < of.count)) {
      throw new ValidationError(`${what}: partition ${child.partition}'s remaining partitionOf must be { partition, count } with 0 <= partition < count, got ${JSON.stringify(of)}.`);
    }
  }
}
