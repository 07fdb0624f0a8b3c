// A distributed map over 500 generated items in 5 children, items divisible by 100 failing: the
// children run as executions of this same handler in the CLI's file store.
import { defineDistributedMap, withDurableExecution } from "@cairn/sdk";
import { JsonLinesFailedItemWriter } from "@cairn/sdk/service";

const numbers = defineDistributedMap("numbers", {
  source: (params) => ({
    readPage: async (cursor) => {
      const from = cursor ?? 0;
      const to = Math.min(params.count, from + 50);
      return { items: Array.from({ length: to - from }, (_, k) => from + k), nextCursor: to < params.count ? to : undefined };
    },
  }),
  itemHandler: async (n, ctx) =>
    ctx.step("square", async () => {
      if (n % 100 === 0) throw new Error(`${n} is round`);
      return n * n;
    }, { retryStrategy: () => ({ shouldRetry: false }) }),
  partitionOf: (n, count) => n % count,
  failedItemWriter: new JsonLinesFailedItemWriter(process.env.CAIRN_FIXTURE_FAILED_ITEMS ?? ".cairn-failed-items"),
  // Set: each child hands its partition on to a fresh execution after that many pages.
  ...(process.env.CAIRN_FIXTURE_PAGES_PER_EXECUTION ? { pagesPerExecution: Number(process.env.CAIRN_FIXTURE_PAGES_PER_EXECUTION) } : {}),
});

export const handler = withDurableExecution(async (event, ctx) =>
  ctx.distributedMap(numbers, {
    params: { count: event.count },
    partitions: 5,
    maxChildExecutions: 2,
    completionConfig: { toleratedFailureCount: 10 },
  }),
);
