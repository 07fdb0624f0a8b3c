import { withDurableExecution } from "@cairn/sdk";
import { inMemoryLedger } from "./ledger.js";
import { createLedgerConsumer } from "./workflow.js";

/** The deployable handler, on an in-memory ledger: `cairn run examples/dist/sqs-consumer/handler.js --input '{"Records":[...]}'`. */
export const handler = withDurableExecution(createLedgerConsumer(inMemoryLedger(["acct-frozen"]).ledger));
