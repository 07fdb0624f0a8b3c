import { withDurableExecution, type Serdes } from "@cairn/sdk";

// 6.11: the string state is checkpointed through a custom serdes (base64 here) across a suspension.
const base64: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : Buffer.from(value, "utf8").toString("base64")),
  deserialize: async (data) => (data === undefined ? undefined : Buffer.from(data, "base64").toString("utf8")),
};

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.waitForCondition(async (state: string) => `${state}x`, {
    initialState: "",
    serdes: base64,
    waitStrategy: (state) => (state.length < 2 ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
});
