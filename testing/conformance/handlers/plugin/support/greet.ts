import type { DurableContext } from "@cairn/sdk";

/** The greeting handler most plugin vectors share: one step returning `Hello, <input>!`. */
export async function greet(event: string, ctx: DurableContext): Promise<string> {
  return ctx.step(async () => `Hello, ${event}!`);
}
