// A long step beside a waiting branch, plain JSON with awkward keys, custom serdes, logging.
import { withDurableExecution, type DurableContext, type Serdes } from "@aws/durable-execution-sdk-js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the handler's memory held across the waits (lost if the handler was re-invoked). */
export const longStepTicks: number[] = [];

export const longStepBesideWaits = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const ticks: number[] = [];
  const batch = await context.parallel("work", [
    async (branch) => branch.step("slow-call", async () => { await sleep(6_000); return "slow done"; }),
    async (branch) => {
      for (let i = 1; i <= 5; i++) {
        await branch.wait(`tick-${i}`, { seconds: 1 });
        ticks.push(i);
      }
      return "ticked";
    },
  ]);
  longStepTicks.splice(0, longStepTicks.length, ...ticks);
  return { results: batch.getResults(), ticks };
});

export const awkwardKeys = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const stored = await context.step("store", async () => ({
    constructor: "not a function",
    prototype: { shape: "plain" },
    nested: { constructor: { prototype: 1 } },
  }));
  await context.wait({ seconds: 1 });
  const again = await context.step("read-back", async () => stored.prototype.shape);
  return { stored, again, polluted: ({} as Record<string, unknown>).shape === undefined ? "no" : "yes" };
});

const upperCase: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : value.toUpperCase()),
  deserialize: async (data) => (data === undefined ? undefined : `${data.toLowerCase()}!`),
};

export const customSerdes = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const word = await context.step("word", async () => "Hello", { serdes: upperCase });
  await context.wait({ seconds: 1 });
  return word;
});
