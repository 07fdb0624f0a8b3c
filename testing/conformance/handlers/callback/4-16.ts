import { withDurableExecution } from "@cairn/sdk";

// 4.16: a custom deserializer turns the payload into a number.
export const handler = withDurableExecution(async (name: string, ctx) => {
  const [result] = await ctx.createCallback<number>(name, {
    serdes: { deserialize: async (data) => Number(JSON.parse(data ?? "null")) },
  });
  const count = await result;
  return { count, doubled: count * 2 };
});
