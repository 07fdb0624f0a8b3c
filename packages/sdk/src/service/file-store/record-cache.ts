// The records a file store instance keeps in memory, each with how far into its log it is applied,
// so that taking an execution again, or reading it, reads only what was appended since. A process
// that runs executions for days touches millions of them: the records of executions it does not
// hold are kept for the most recently used ones only, and a held execution's record is never let
// go of here (its writes go on from it).

/**
 * Records by execution id, least recently stored first. Entries of executions the owner does not
 * hold are limited to `limit`; the oldest of them are dropped when more are stored.
 */
export class RecordCache<Entry> {
  readonly #entries = new Map<string, Entry>();

  constructor(
    /** Entries of executions not held that are kept. */
    private readonly limit: number,
    /** Whether the owner holds the execution (its entry is then never dropped here). */
    private readonly isHeld: (id: string) => boolean,
    /** How many executions the owner holds. */
    private readonly heldCount: () => number,
  ) {}

  /** Entries kept, held executions' included. */
  get size(): number {
    return this.#entries.size;
  }

  get(id: string): Entry | undefined {
    return this.#entries.get(id);
  }

  /** Stores `entry` as the most recently used, then drops the oldest entries beyond the limit. */
  set(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    this.trim();
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  /** Drops the least recently stored entries of executions not held, down to the limit. */
  trim(): void {
    let excess = this.#entries.size - this.heldCount() - this.limit;
    if (excess <= 0) return;
    for (const id of this.#entries.keys()) {
      if (excess <= 0) break;
      if (this.isHeld(id)) continue;
      this.#entries.delete(id);
      excess--;
    }
  }
}
