import type { DistributedMapPaginatedSource } from "@cairn/sdk";

/** An item of a {@link generatedRange}: its id is its position in the range. */
export interface GeneratedItem {
  id: number;
}

/**
 * A paginated source of the items `{ id }` for ids 0 to `count - 1`, generated page by page so the
 * whole range is never held. The cursor is the next id; `partitions(n)` gives n start ids of equal
 * contiguous ranges (as a keyed table's segments would), and a page never crosses the end of the
 * range its cursor lies in, so each child reads exactly its own ids.
 */
export function generatedRange(count: number, pageSize: number, partitionCount = 1): DistributedMapPaginatedSource<GeneratedItem, number> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`generatedRange: count must be a whole number >= 0, got ${count}`);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`generatedRange: pageSize must be a whole number >= 1, got ${pageSize}`);
  // Fixed by the first partitions() call (the parent's plan); children use the same split because
  // they are given the same count (partitionCount) through the run's params.
  const size = Math.max(1, Math.ceil(count / partitionCount));
  return {
    readPage: async (cursor) => {
      const next = cursor ?? 0;
      const end = Math.min(count, (Math.floor(next / size) + 1) * size);
      const stop = Math.min(end, next + pageSize);
      const items: GeneratedItem[] = new Array(Math.max(0, stop - next));
      for (let k = 0; k < items.length; k++) items[k] = { id: next + k };
      return { items, nextCursor: stop < end ? stop : undefined };
    },
    partitions: (n) => {
      if (n !== partitionCount) throw new RangeError(`generatedRange: made for ${partitionCount} partitions, asked for ${n}; pass the same count to both`);
      const starts: number[] = [];
      for (let start = 0; start < count; start += size) starts.push(start);
      return starts.length > 0 ? starts : [0];
    },
  };
}

/**
 * One counter per item id, counting how often a side effect ran for it: a typed array, so a
 * million items cost a megabyte rather than a million map entries. Counters saturate at 255.
 */
export class EffectLedger {
  readonly #counts: Uint8Array;

  /** A ledger for ids 0 to `size - 1`, all at zero. */
  constructor(size: number) {
    this.#counts = new Uint8Array(size);
  }

  /** Records one run of the effect for `id`. */
  record(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.#counts.length) throw new RangeError(`EffectLedger: id ${id} is outside 0..${this.#counts.length - 1}`);
    if (this.#counts[id]! < 255) this.#counts[id]!++;
  }

  /** How often the effect ran for `id`. */
  count(id: number): number {
    return this.#counts[id] ?? 0;
  }

  /** The number of ids whose count is `n`. */
  idsWithCount(n: number): number {
    let ids = 0;
    for (const c of this.#counts) if (c === n) ids++;
    return ids;
  }

  /** The first id (in order) for which `test(id, count)` is false, or undefined when it holds for all. */
  firstViolation(test: (id: number, count: number) => boolean): number | undefined {
    for (let id = 0; id < this.#counts.length; id++) if (!test(id, this.#counts[id]!)) return id;
    return undefined;
  }
}

/**
 * A seeded pseudo-random generator (mulberry32): numbers in [0, 1) that are the same for the
 * same seed, so a run with random crash points can be repeated from its printed seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Peak resident set size of this process in bytes, sampled every `everyMs` until `stop()`: unlike
 * `process.resourceUsage().maxRSS`, it covers only the span measured (a peak between samples can be missed).
 */
export function sampleRss(everyMs = 50): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
