import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";
import { greet } from "./support/greet.js";

// 10.8: operation-change reports each updated step, which is also in the full operation map.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationChange: async (info) => {
    for (const op of Object.values(info.updatedOperations)) {
      if (op.type !== "STEP") continue;
      out.emit("operation-change", { op: op.id, status: op.status, in_full_map: op.id in info.operations });
    }
  },
};

export const handler = withDurableExecution(greet, { plugins: [plugin] });
