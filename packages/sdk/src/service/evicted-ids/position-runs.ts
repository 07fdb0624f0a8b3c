// A set of whole numbers kept as sorted, disjoint runs of consecutive ones: the positions a record
// lets go of under one id pattern are mostly consecutive (a map's items settle roughly in order),
// so a few runs hold any number of them.

/** What {@link PositionRuns.add} did. */
export type RunAddition = "added" | "present" | "full";

/** Whole numbers as sorted, disjoint, inclusive runs `[start, end]`. */
export class PositionRuns {
  /** start0, end0, start1, end1, … sorted, with a gap of at least one between runs. */
  #bounds: number[] = [];

  /** How many runs hold the numbers. */
  get runs(): number {
    return this.#bounds.length / 2;
  }

  /** Whether `position` is in a run. */
  has(position: number): boolean {
    const run = this.#runAtOrBefore(position);
    return run >= 0 && (this.#bounds[2 * run + 1] as number) >= position;
  }

  /**
   * Adds `position`: extends or joins the runs beside it, or starts a run of its own unless
   * `mayStartRun` is false (then "full", and nothing changed).
   */
  add(position: number, mayStartRun: boolean): RunAddition {
    const bounds = this.#bounds;
    const before = this.#runAtOrBefore(position);
    const after = before + 1;
    if (before >= 0 && (bounds[2 * before + 1] as number) >= position) return "present";
    const joinsBefore = before >= 0 && bounds[2 * before + 1] === position - 1;
    const joinsAfter = after < this.runs && bounds[2 * after] === position + 1;
    if (joinsBefore && joinsAfter) {
      bounds[2 * before + 1] = bounds[2 * after + 1] as number;
      bounds.splice(2 * after, 2);
    } else if (joinsBefore) {
      bounds[2 * before + 1] = position;
    } else if (joinsAfter) {
      bounds[2 * after] = position;
    } else if (mayStartRun) {
      bounds.splice(2 * after, 0, position, position);
    } else {
      return "full";
    }
    return "added";
  }

  /** The last run starting at or before `position` (-1 when none does). */
  #runAtOrBefore(position: number): number {
    const bounds = this.#bounds;
    let low = 0;
    let high = this.runs - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if ((bounds[2 * middle] as number) <= position) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}
