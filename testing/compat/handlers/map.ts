// map: item namer, concurrency, tolerated failures, fail-fast and custom completion checks
// (a plain decision, and completeBatch / continueBatch).
import {
  completeBatch,
  CompletionOutcome,
  continueBatch,
  withDurableExecution,
  type DurableContext,
  type MapConfig,
  type StepConfig,
} from "@aws/durable-execution-sdk-js";
import { summarize } from "./batch-summary.js";

const noRetry: StepConfig<number> = { retryStrategy: () => ({ shouldRetry: false }) };

async function square(ctx: DurableContext, item: number): Promise<number> {
  return ctx.step(
    "square",
    async () => {
      if (item < 0) throw new Error(`negative item ${item}`);
      return item * item;
    },
    noRetry,
  );
}

export const handler = withDurableExecution(async (event: { items: number[] }, ctx) => {
  const tolerant: MapConfig<number, number> = {
    maxConcurrency: 2,
    itemNamer: (item, index) => `item-${index}-${item}`,
    completionConfig: { toleratedFailureCount: 1 },
  };
  const tolerated = await ctx.map("tolerant", event.items, (c, item) => square(c, item), tolerant);
  const failFast = await ctx.map("fail-fast", [1, -1, 2, 3], (c, item) => square(c, item), { maxConcurrency: 1 });
  const custom = await ctx.map("custom", [1, 2, 3, 4], (c, item, index, all) => square(c, item + index * 0 + all.length * 0), {
    maxConcurrency: 1,
    completionConfig: {
      shouldComplete: (status) => (status.successCount >= 2 ? { complete: true } : { complete: false }),
    },
  });
  // A quorum that can no longer be met: complete as FAILED although only items failed that were tolerated.
  const quorum = await ctx.map("quorum", [1, -2, -3, 4], (c, item) => square(c, item), {
    maxConcurrency: 1,
    completionConfig: { shouldComplete: (status) => (status.failureCount >= 2 ? completeBatch(CompletionOutcome.FAILED) : continueBatch()) },
  });
  const unnamed = await ctx.map([5, 6], async (c, item) => square(c, item));
  return {
    tolerated: summarize(tolerated),
    failFast: summarize(failFast),
    custom: summarize(custom),
    quorum: summarize(quorum),
    unnamed: unnamed.getResults(),
  };
});
