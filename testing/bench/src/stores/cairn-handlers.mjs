// The two handlers, for Cairn on every store: the same code whatever runs it.
import { withDurableExecution } from "@cairn/sdk";

/** `event.size` sequential steps; returns the sum of their results. */
export const seqHandler = withDurableExecution(async (event, ctx) => {
  let sum = 0;
  for (let i = 0; i < event.size; i++) sum += await ctx.step(async () => i);
  return sum;
});

/** A map over `event.size` items (no maxConcurrency: every item starts at once), one step each. */
export const mapHandler = withDurableExecution(async (event, ctx) => {
  const items = Array.from({ length: event.size }, (_, i) => i);
  const batch = await ctx.map("items", items, async (itemCtx, item) => itemCtx.step(async () => item * 2));
  return batch.successCount;
});

export const cairnHandlers = { seq: seqHandler, map: mapHandler };
