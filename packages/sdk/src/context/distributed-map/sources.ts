import { ValidationError } from "../../errors/validation-error.js";
import type {
  DistributedMapDefinition,
  DistributedMapPage,
  DistributedMapPageReader,
} from "../../types/distributed-map.js";

/** A definition's source for one run, told apart once. */
export type ResolvedSource =
  | { kind: "array"; items: readonly unknown[] }
  | { kind: "paged"; readPage: DistributedMapPageReader<unknown, unknown>; partitions: ((count: number) => readonly unknown[] | Promise<readonly unknown[]>) | undefined };

/** Calls the definition's `source` with the run's params and says which kind it gave. */
export function resolveSource(definition: DistributedMapDefinition<unknown, unknown, unknown>, params: unknown): ResolvedSource {
  const source = definition.options.source(params);
  if (Array.isArray(source)) return { kind: "array", items: source };
  if (typeof source === "function") return { kind: "paged", readPage: source as DistributedMapPageReader<unknown, unknown>, partitions: undefined };
  if (typeof source === "object" && source !== null && typeof (source as { readPage?: unknown }).readPage === "function") {
    const paged = source as { readPage: DistributedMapPageReader<unknown, unknown>; partitions?: (count: number) => readonly unknown[] };
    return { kind: "paged", readPage: (cursor) => paged.readPage(cursor), partitions: paged.partitions?.bind(paged) };
  }
  throw new ValidationError(
    `distributed map "${definition.name}": source(params) must return an array, a page reader (cursor) => { items, nextCursor } ` +
      `or an object { readPage(cursor), partitions?(count) }, got ${source === null ? "null" : typeof source}.`,
  );
}

/** One page as a child checkpoints it: its items (already filtered to the partition) and what comes next. */
export interface ReadPage {
  items: unknown[];
  /** Where the next page starts; absent after the last page. */
  next?: unknown;
  /** Whether this was the last page. */
  done: boolean;
}

/** Reads the page at `cursor` of an array range: the cursor is the index the page starts at. */
export function readArrayPage(items: readonly unknown[], cursor: number, end: number, pageSize: number): ReadPage {
  const stop = Math.min(end, cursor + pageSize);
  const page = items.slice(cursor, stop);
  return stop >= end ? { items: page, done: true } : { items: page, next: stop, done: false };
}

/** Reads a page of a paginated source, checking what it returned. */
export async function readSourcePage(readPage: DistributedMapPageReader<unknown, unknown>, cursor: unknown, mapName: string): Promise<ReadPage> {
  const page = (await readPage(cursor)) as DistributedMapPage<unknown, unknown> | undefined;
  if (typeof page !== "object" || page === null || !Array.isArray(page.items)) {
    throw new ValidationError(`distributed map "${mapName}": readPage must return { items: [...], nextCursor? }, got ${JSON.stringify(page)}.`);
  }
  const next = page.nextCursor;
  if (next === undefined || next === null) return { items: [...page.items], done: true };
  return { items: [...page.items], next, done: false };
}
