// map and parallel as handler authors use them, with their completion configs.
import {
  NestingType,
  withDurableExecution,
  type BatchResult,
  type DurableContext,
  type Serdes,
} from "@aws/durable-execution-sdk-js";

/** Returns the BatchResult itself: the caller sees it as JSON. */
export const resizeAll = withDurableExecution(async (event: { sizes: number[] }, context: DurableContext) => {
  return context.map("resize", event.sizes, async (item, size) => item.step(`resize-${size}`, async () => size * 2), {
    maxConcurrency: 2,
  });
});

/** Writes the BatchResult with JSON.stringify, as a handler handing it to another system would. */
export const resizeAllAsText = withDurableExecution(async (event: { sizes: number[] }, context: DurableContext) => {
  const batch = await context.map(
    "resize",
    event.sizes,
    async (item, size) => {
      if (size < 0) throw new RangeError(`cannot resize to ${size}`);
      return item.step(async () => ({ width: size * 2 }));
    },
    { completionConfig: { toleratedFailureCount: 1 } },
  );
  return JSON.stringify(batch);
});

export const tolerant = withDurableExecution(async (event: { sizes: number[] }, context: DurableContext) => {
  const batch = await context.map(
    "resize",
    event.sizes,
    async (item, size) =>
      item.step(
        async () => {
          if (size < 0) throw new Error(`cannot resize to ${size}`);
          return size * 2;
        },
        { retryStrategy: () => ({ shouldRetry: false }) },
      ),
    { completionConfig: { toleratedFailureCount: 1 }, itemNamer: (size) => `size-${size}` },
  );
  return {
    results: batch.getResults(),
    errors: batch.getErrors().map((error) => error.message),
    successCount: batch.successCount,
    failureCount: batch.failureCount,
    totalCount: batch.totalCount,
    status: batch.status,
    completionReason: batch.completionReason,
    hasFailure: batch.hasFailure,
  };
});

export const firstTwo = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "quotes",
    [
      { name: "fast", func: async (branch) => branch.step("ask-fast", async () => 10) },
      { name: "medium", func: async (branch) => { await branch.wait({ seconds: 5 }); return 20; } },
      async (branch) => { await branch.wait({ seconds: 60 }); return 30; },
    ],
    { completionConfig: { minSuccessful: 2 } },
  );
  return { results: batch.getResults(), completionReason: batch.completionReason, successCount: batch.successCount };
});

export const flat = withDurableExecution(async (event: { sizes: number[] }, context: DurableContext) => {
  const batch = await context.map("resize", event.sizes, async (item, size) => item.step(`resize-${size}`, async () => size + 1), {
    nesting: NestingType.FLAT,
  });
  const both = await context.parallel(
    "pair",
    [async (branch) => branch.step("left", async () => "L"), async (branch) => branch.step("right", async () => "R")],
    { nesting: NestingType.FLAT },
  );
  return { sizes: batch.getResults(), pair: both.getResults() };
});

/** What the custom serdes below saw: the map's result is stored as its JSON text. */
export const storedBatches: string[] = [];

const plainBatchSerdes: Serdes<BatchResult<number>> = {
  serialize: async (batch) => {
    const text = JSON.stringify(batch);
    storedBatches.push(text);
    return text;
  },
  // Hands back the plain JSON shape; the SDK turns it into a BatchResult again.
  deserialize: async (text) => (text === undefined ? undefined : (JSON.parse(text) as BatchResult<number>)),
};

export const replayedBatch = withDurableExecution(async (event: { sizes: number[] }, context: DurableContext) => {
  const batch = await context.map("area", event.sizes, async (item, size) => item.step(async () => size * size), {
    serdes: plainBatchSerdes,
  });
  const [goAhead] = await context.createCallback("go-ahead");
  await goAhead;
  return {
    results: batch.getResults(),
    succeeded: batch.succeeded().map((item) => item.index),
    successCount: batch.successCount,
    status: batch.status,
  };
});
