import { withDurableExecution, type Serdes } from "@cairn/sdk";

const PREFIX = "wrapped:";

// A real round trip: "X" is checkpointed as "wrapped:X" and read back as "X".
const wrappingSerdes: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : PREFIX + value),
  deserialize: async (data) => {
    if (data === undefined) return undefined;
    if (!data.startsWith(PREFIX)) throw new Error(`not a wrapped payload: ${data}`);
    return data.slice(PREFIX.length);
  },
};

// 9.14: each item's result goes through a custom per-item serdes.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map("serdes", ["x", "y"], async (_ctx, value) => value.toUpperCase(), {
    maxConcurrency: 1,
    itemSerdes: wrappingSerdes,
  });
  return result.getResults();
});
