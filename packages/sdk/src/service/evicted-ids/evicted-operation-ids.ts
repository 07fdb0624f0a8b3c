// The ids of the operations a record let go of (resident-operations.ts). A map over N items lets
// go of 2N of them, so their cost per id is what is left of the map's memory beyond its result.
// Cairn's own ids are positions, `3`, `3-2`, `3-2-1` (context/operation-ids.ts), and those let go
// of together are mostly consecutive positions in the same place: `1-7-1`, `1-8-1`, `1-9-1`… So
// an id is read as a pattern with one varying part, `1-*-1`, and a position, 7, and each
// pattern's positions are kept as runs (position-runs.ts): a few bytes for any number of items,
// where a hash was 8 bytes an id. Ids of another shape (hashed ids, other SDKs' ids), and ids
// that would make too many runs, are kept by hash (hashed-ids.ts) as before.
import { HashedIds } from "./hashed-ids.js";
import { PositionRuns } from "./position-runs.js";

/** Patterns kept as runs; ids of further patterns go by hash. */
const MAX_PATTERNS = 4096;
/**
 * Runs one pattern may have (a new run costs moving the ones after it) and runs in all: ids that
 * would start more go by hash, so scattered positions cost no more than they did.
 */
const MAX_RUNS_PER_PATTERN = 1024;
const MAX_RUNS = 64 * 1024;
/** Digits a part may have to count as a position (below 2^30: exact and small in V8). */
const MAX_DIGITS = 9;

/** An id read as a pattern and a position: `1-27-3` is `1-*-3` and 27. */
interface PatternPosition {
  pattern: string;
  position: number;
}

/**
 * `id` as a pattern and a position when every `-`-separated part is a whole number written
 * without leading zeros; the varying part is the largest (the last of equals). The id is the
 * pattern with the position in place of `*`, so no two ids share both.
 */
export function patternPositionOf(id: string): PatternPosition | undefined {
  let best = -1;
  let bestStart = 0;
  let bestEnd = 0;
  let start = 0;
  for (let i = 0; i <= id.length; i++) {
    const code = i < id.length ? id.charCodeAt(i) : 0x2d; // "-" closes the last part
    if (code === 0x2d) {
      const digits = i - start;
      if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && id.charCodeAt(start) === 0x30)) return undefined;
      const value = Number(id.slice(start, i));
      if (value >= best) {
        best = value;
        bestStart = start;
        bestEnd = i;
      }
      start = i + 1;
    } else if (code < 0x30 || code > 0x39) {
      return undefined;
    }
  }
  return { pattern: `${id.slice(0, bestStart)}*${id.slice(bestEnd)}`, position: best };
}

/** How an EvictedOperationIds keeps its ids (for tests and the bench). */
export interface EvictedIdsFootprint {
  /** Patterns kept as runs. */
  patterns: number;
  /** Runs over all patterns. */
  runs: number;
  /** Ids kept by hash, 8 bytes each. */
  hashed: number;
}

let footprintOf: (ids: EvictedOperationIds) => EvictedIdsFootprint;

/** How `ids` keeps its ids (not part of the public API; for tests and the bench). */
export function evictedIdsFootprint(ids: EvictedOperationIds): EvictedIdsFootprint {
  return footprintOf(ids);
}

/**
 * The ids of the operations a record let go of: never forgets one, and claims one it was not
 * given only when its hash matches one of those kept by hash (about once in 2^53; the caller then
 * reads the record whole, so that costs time, never correctness).
 */
export class EvictedOperationIds {
  #byPattern = new Map<string, PositionRuns>();
  #runs = 0;
  #inRuns = 0;
  #hashed = new HashedIds();

  static {
    footprintOf = (ids) => ({ patterns: ids.#byPattern.size, runs: ids.#runs, hashed: ids.#hashed.size });
  }

  /** How many ids were added (an id added twice counts once). */
  get size(): number {
    return this.#inRuns + this.#hashed.size;
  }

  /** Adds `id`. */
  add(id: string): void {
    const at = patternPositionOf(id);
    if (at !== undefined) {
      let runs = this.#byPattern.get(at.pattern);
      if (runs?.has(at.position)) return;
      if (this.#hashed.size > 0 && this.#hashed.mayContain(id)) return;
      if (runs === undefined && this.#byPattern.size < MAX_PATTERNS && this.#runs < MAX_RUNS) {
        runs = new PositionRuns();
        this.#byPattern.set(at.pattern, runs);
      }
      if (runs !== undefined) {
        const before = runs.runs;
        const added = runs.add(at.position, before < MAX_RUNS_PER_PATTERN && this.#runs < MAX_RUNS);
        if (added === "added") {
          this.#runs += runs.runs - before;
          this.#inRuns++;
          return;
        }
      }
    }
    this.#hashed.add(id);
  }

  /** Whether `id` was added, or (about once in 2^53, for an id kept by hash) another with the same hash. */
  mayContain(id: string): boolean {
    const at = patternPositionOf(id);
    if (at !== undefined && this.#byPattern.get(at.pattern)?.has(at.position) === true) return true;
    return this.#hashed.size > 0 && this.#hashed.mayContain(id);
  }
}
