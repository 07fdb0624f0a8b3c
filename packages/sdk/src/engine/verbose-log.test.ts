import { afterEach, describe, expect, it, vi } from "vitest";
import { runLocal } from "../test-support/run-local.js";
import { refreshLogConfig } from "./verbose-log.js";

const handler = async (_event: unknown, ctx: import("../types/context.js").DurableContext) => {
  const n = await ctx.step("work", async () => 21);
  await ctx.wait("pause", { seconds: 5 });
  return n * 2;
};

/** The `[cairn]` lines written while `fn` runs. */
async function verboseLines(fn: () => Promise<unknown>): Promise<string[]> {
  const debug = vi.spyOn(console, "debug").mockImplementation(() => undefined);
  try {
    await fn();
    return debug.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith("[cairn]"));
  } finally {
    debug.mockRestore();
  }
}

afterEach(() => {
  delete process.env.DURABLE_VERBOSE_MODE;
  refreshLogConfig();
});

describe("DURABLE_VERBOSE_MODE", () => {
  it("writes each invocation's state, checkpoint calls and ending once refreshLogConfig reads it", async () => {
    process.env.DURABLE_VERBOSE_MODE = "true";
    // Not read again until refreshLogConfig: the switch is cached off the hot path.
    expect(await verboseLines(() => runLocal(handler))).toEqual([]);
    refreshLogConfig();
    const lines = await verboseLines(() => runLocal(handler));
    const kinds = lines.map((line) => line.split(" {")[0]);
    expect(kinds[0]).toBe("[cairn] invocation began");
    expect(kinds).toContain("[cairn] checkpoint sent");
    expect(kinds).toContain("[cairn] checkpoint stored");
    // Two invocations: the wait suspends the first.
    expect(lines.filter((line) => line.startsWith("[cairn] invocation ended")).map((line) => JSON.parse(line.slice(line.indexOf("{"))).status)).toEqual([
      "PENDING",
      "SUCCEEDED",
    ]);
    const sent = lines.filter((line) => line.startsWith("[cairn] checkpoint sent")).flatMap((line) => JSON.parse(line.slice(line.indexOf("{"))).updates as string[]);
    expect(sent).toEqual(expect.arrayContaining(['SUCCEED STEP 1 "work"', 'START WAIT 2 "pause"']));
  });

  it("writes nothing unless the variable is exactly \"true\"", async () => {
    for (const value of [undefined, "1", "TRUE", "false"]) {
      if (value === undefined) delete process.env.DURABLE_VERBOSE_MODE;
      else process.env.DURABLE_VERBOSE_MODE = value;
      refreshLogConfig();
      expect(await verboseLines(() => runLocal(handler)), String(value)).toEqual([]);
    }
  });
});
