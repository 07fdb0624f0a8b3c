// The three handlers, for Cairn on every store: the same code whatever runs it.
import { withDurableExecution } from "@cairn/sdk";
import { SHORT_WAIT_SECONDS } from "./workloads.mjs";

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

/**
 * A short execution: `event.size` sequential steps with a durable wait after the first; returns
 * the sum of their results, as seqHandler does.
 */
export const shortHandler = withDurableExecution(async (event, ctx) => {
  let sum = 0;
  for (let i = 0; i < event.size; i++) {
    sum += await ctx.step(async () => i);
    if (i === 0) await ctx.wait({ seconds: SHORT_WAIT_SECONDS });
  }
  return sum;
});

export const cairnHandlers = { seq: seqHandler, map: mapHandler, short: shortHandler };
