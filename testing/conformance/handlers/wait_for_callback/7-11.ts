import { withDurableExecution } from "@cairn/sdk";

// 7.11: the payload is deserialized as a JSON object; the handler returns its "status".
export const handler = withDurableExecution(async (name: string, ctx) => {
  const result = await ctx.waitForCallback<{ status: string }>(name, async () => undefined, {
    serdes: { deserialize: async (data) => JSON.parse(data ?? "null") as { status: string } },
  });
  return result.status;
});
