import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { dumpOperation, StdoutRecorder } from "./support/conf-plugin.js";

// 10.22: a canonical dump of each step in an operation-change delta, with the change's own fields.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationChange: async (info) => {
    const operationsCount = Object.keys(info.operations).length;
    const updatedOperationsCount = Object.keys(info.updatedOperations).length;
    for (const op of Object.values(info.updatedOperations)) {
      if (op.type !== "STEP") continue;
      out.emit("operation-change", {
        executionArn: info.executionArn,
        updatedOperationsCount,
        operationsCount,
        inFullMap: op.id in info.operations,
        ...dumpOperation(op),
      });
    }
  },
};

export const handler = withDurableExecution(async (_event: unknown, ctx) => ctx.step("greet", async () => "task-a"), {
  plugins: [plugin],
});
