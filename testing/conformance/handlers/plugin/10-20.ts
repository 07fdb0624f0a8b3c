import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { dumpOperation, StdoutRecorder } from "./support/conf-plugin.js";

// 10.20: a canonical dump of the operation-start and operation-end infos of a named step.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationStart: async (info) => {
    if (info.type === "STEP") out.emit("operation-start", dumpOperation(info));
  },
  onOperationEnd: async (info) => {
    if (info.type === "STEP") out.emit("operation-end", dumpOperation(info));
  },
};

export const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.step("greet", async () => "task-a"), {
  plugins: [plugin],
});
