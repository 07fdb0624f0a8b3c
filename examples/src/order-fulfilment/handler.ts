import { withDurableExecution } from "@cairn/sdk";
import { inMemoryServices } from "./services.js";
import { createOrderWorkflow } from "./workflow.js";

/** The deployable handler: `cairn run examples/dist/order-fulfilment/handler.js --input '{"orderId":"ord-1001"}'`. */
export const handler = withDurableExecution(createOrderWorkflow(inMemoryServices()));
