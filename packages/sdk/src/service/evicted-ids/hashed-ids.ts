// Ids of any shape, by a 53-bit hash (two 32-bit FNV-1a variants; 2^53 keeps them exact in a
// double): a Set of recent ones, merged now and then into one sorted Float64Array searched by
// bisection, 8 bytes an id once merged.

/** Ids kept unsorted before they are merged into the sorted array (bounds the Set's size). */
const RECENT_IDS = 32 * 1024;

/** A set of ids by hash: never forgets one, and claims one it was not given about once in 2^53. */
export class HashedIds {
  #recent = new Set<number>();
  #sorted = new Float64Array(0);

  /** How many ids were added (an id added twice counts once). */
  get size(): number {
    return this.#sorted.length + this.#recent.size;
  }

  /** Adds `id` (nothing changes when it, or an id with the same hash, was there already). */
  add(id: string): void {
    const key = keyOf(id);
    if (this.#recent.has(key) || this.#inSorted(key)) return;
    this.#recent.add(key);
    if (this.#recent.size >= RECENT_IDS) this.#merge();
  }

  /** Whether `id` was added, or (about once in 2^53) another id with the same hash. */
  mayContain(id: string): boolean {
    const key = keyOf(id);
    return this.#recent.has(key) || this.#inSorted(key);
  }

  #inSorted(key: number): boolean {
    const sorted = this.#sorted;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = sorted[middle] as number;
      if (value === key) return true;
      if (value < key) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  #merge(): void {
    const recent = Float64Array.from(this.#recent).sort();
    const old = this.#sorted;
    const merged = new Float64Array(old.length + recent.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < recent.length) merged[k++] = (old[i] as number) < (recent[j] as number) ? (old[i++] as number) : (recent[j++] as number);
    while (i < old.length) merged[k++] = old[i++] as number;
    while (j < recent.length) merged[k++] = recent[j++] as number;
    this.#sorted = merged;
    this.#recent = new Set();
  }
}

function keyOf(id: string): number {
  return (hashHigh(id) & 0x1fffff) * 0x100000000 + hashLow(id);
}

function hashHigh(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashLow(id: string): number {
  let h = 0x9e3779b1;
  for (let i = id.length - 1; i >= 0; i--) h = Math.imul(h ^ id.charCodeAt(i), 0x85ebca6b) ^ (h >>> 13);
  return h >>> 0;
}
