import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { dumpOperation, StdoutRecorder } from "./support/conf-plugin.js";

// 10.23: context operations report their sub-type; each context function's start (the
// wrapChildContextFn hook) reports whether it re-runs over checkpointed children.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationStart: async (info) => {
    if (info.type === "CONTEXT") out.emit("operation-start", dumpOperation(info));
  },
  wrapChildContextFn: (info, fn) => {
    if (info.type === "CONTEXT") {
      out.emit("fn-start", { ...dumpOperation(info), isReplayingChildren: info.isReplayingChildren });
    }
    return fn();
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, ctx) => {
    const result = await ctx.parallel(
      "ctx",
      [
        {
          name: "branch-a",
          func: async (c) => {
            await c.step("inner", async () => "x");
            await c.wait({ seconds: 2 });
            return "a-done";
          },
        },
        { name: "branch-b", func: async () => "b-done" },
      ],
      { maxConcurrency: 1 },
    );
    return result.getResults();
  },
  { plugins: [plugin] },
);
