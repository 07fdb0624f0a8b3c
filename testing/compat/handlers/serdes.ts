// A custom step serdes (the replayed value is what it stored), defaultSerdes on plain data,
// configureSerdes, and the execution context.
import { defaultSerdes, withDurableExecution, type Serdes, type SerdesContext } from "@aws/durable-execution-sdk-js";

interface Note {
  text: string;
}

const shouting: Serdes<Note> = {
  serialize: async (value) => (value === undefined ? undefined : JSON.stringify({ t: value.text.toUpperCase() })),
  deserialize: async (data) => (data === undefined ? undefined : { text: (JSON.parse(data) as { t: string }).t }),
};

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const note = await ctx.step("note", async () => ({ text: "hello" }), { serdes: shouting });
  // Suspend and replay, so `note` above is read back through the serdes on the next invocation.
  await ctx.wait({ seconds: 1 });
  const context: SerdesContext = { entityId: "x", durableExecutionArn: ctx.executionContext.durableExecutionArn };
  const plain = await defaultSerdes.serialize({ a: 1, b: ["c"] }, context);
  ctx.configureSerdes({ defaultSerdes });
  const afterConfigure = await ctx.step("after-configure", async () => ({ n: 1 }));
  return { note, plain, afterConfigure, arnIsString: typeof ctx.executionContext.durableExecutionArn };
});
