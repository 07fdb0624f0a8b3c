/**
 * Vectors whose branches run concurrently: their event order legitimately varies between runs, so
 * a real-time run is compared with the skipped-time run as a set of events, not a sequence.
 */
export const CONCURRENT_ORDER: ReadonlySet<string> = new Set(["parallel/8-11", "map/9-11"]);
