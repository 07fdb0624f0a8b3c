import { withDurableExecution } from "@cairn/sdk";

interface Event {
  name: string;
  value: string;
}

// 3.2: a child context named by the input, with one step returning the second input.
export const handler = withDurableExecution(async (event: Event, ctx) => {
  return ctx.runInChildContext(event.name, async (child) => child.step(async () => event.value));
});
