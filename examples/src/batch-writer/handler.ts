import { withDurableExecution } from "@cairn/sdk";
import { inMemoryTable } from "./table.js";
import { createImportWorkflow } from "./workflow.js";

/** The deployable handler, on an in-memory table: `cairn run examples/dist/batch-writer/handler.js --input '{"rows":[...]}'`. */
export const handler = withDurableExecution(createImportWorkflow(inMemoryTable().table));
