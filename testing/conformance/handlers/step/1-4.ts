import { withDurableExecution } from "@cairn/sdk";

interface Event {
  name: string;
  tags: string[];
}

// 1.4: a step returning a nested object survives serialization.
export const handler = withDurableExecution(async (event: Event, ctx) => {
  return ctx.step(async () => ({ user: { name: event.name, tags: [...event.tags] }, count: event.tags.length }));
});
