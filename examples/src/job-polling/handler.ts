import { withDurableExecution } from "@cairn/sdk";
import { simulatedJobs } from "./jobs.js";
import { createReportWorkflow } from "./workflow.js";

/** `cairn run examples/dist/job-polling/handler.js --input '{"report":"monthly-sales"}'` (polls for ~70 s). */
export const handler = withDurableExecution(createReportWorkflow(simulatedJobs().service));
