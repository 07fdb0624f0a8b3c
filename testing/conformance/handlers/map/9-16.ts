import { withDurableExecution } from "@cairn/sdk";

const ITEM_BYTES = 70 * 1024;

// 9.16: four ~70 KB results exceed the 256 KB checkpoint threshold in aggregate, so the map's
// own result is not checkpointed inline; the handler returns a small projection.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map(
    "large",
    [0, 1, 2, 3],
    async (_ctx, n) => `${n}:`.padEnd(ITEM_BYTES, String.fromCharCode(97 + n)),
    { maxConcurrency: 1 },
  );
  return { successCount: result.successCount, totalCount: result.totalCount };
});
