import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";
import { greet } from "./support/greet.js";

// 10.2: operation start/end hooks for a step.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationStart: async (info) => {
    if (info.type === "STEP") out.emit("operation-start", { op: info.id });
  },
  onOperationEnd: async (info) => {
    if (info.type === "STEP") out.emit("operation-end", { op: info.id, status: info.status });
  },
};

export const handler = withDurableExecution(greet, { plugins: [plugin] });
