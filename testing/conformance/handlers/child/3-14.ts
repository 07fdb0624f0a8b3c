import { withDurableExecution, type Serdes } from "@cairn/sdk";

// Uppercases on the way into the checkpoint; reads it back as is.
const upperCaseSerdes: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : value.toUpperCase()),
  deserialize: async (data) => data,
};

// 3.14: the child's result goes through a custom serdes; the execution returns what it produced.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.runInChildContext(async (child) => child.step(async () => event), { serdes: upperCaseSerdes });
});
