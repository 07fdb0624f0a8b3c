// The maps whose memory the stores group measures on the file store (map-memory-child.mjs), and
// the line its child prints.

/** Followed by the child's result as JSON. */
export const MAP_MEMORY_PREFIX = "MAP_MEMORY_RESULT ";

/** Items started at once in every variant. */
export const MAP_MAX_CONCURRENCY = 50;
/** Items per chunk in the chunked variant. */
export const MAP_CHUNK_ITEMS = 100;

/** Each variant's `run(ctx, items)` resolves with the BatchResult (one entry per item). */
export const MAP_MEMORY_VARIANTS = {
  map: {
    label: `ctx.map, maxConcurrency ${MAP_MAX_CONCURRENCY}, one step per item`,
    run: (ctx, items) => ctx.map("items", items, async (itemCtx, item) => itemCtx.step(async () => item * 2), { maxConcurrency: MAP_MAX_CONCURRENCY }),
  },
  chunked: {
    label: `ctx.mapBatches, ${MAP_CHUNK_ITEMS} items per chunk (itemBatcher), maxConcurrency ${MAP_MAX_CONCURRENCY}, one step per chunk`,
    run: (ctx, items) =>
      ctx.mapBatches("items", items, async (chunkCtx, chunk) => chunkCtx.step(async () => chunk.map((item) => item * 2)), {
        itemBatcher: { maxItemsPerBatch: MAP_CHUNK_ITEMS },
        maxConcurrency: MAP_MAX_CONCURRENCY,
      }),
  },
};
