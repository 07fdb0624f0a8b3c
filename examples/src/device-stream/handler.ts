import { withDurableExecution } from "@cairn/sdk";
import { inMemoryDevices } from "./devices.js";
import { createStreamWorkflow } from "./workflow.js";

/** The deployable handler, on an in-memory device store: `cairn run examples/dist/device-stream/handler.js --input '{"readings":[...]}'`. */
export const handler = withDurableExecution(createStreamWorkflow(inMemoryDevices().store));
