import { withDurableExecution } from "@cairn/sdk";
import { demoCarriers } from "./carriers.js";
import { createQuoteWorkflow } from "./workflow.js";

/** `cairn run examples/dist/carrier-quotes/handler.js --input '{"parcelId":"p-1","weightGrams":1200}'` */
export const handler = withDurableExecution(createQuoteWorkflow(demoCarriers()));
