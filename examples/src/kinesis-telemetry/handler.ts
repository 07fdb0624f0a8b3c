import { withDurableExecution } from "@cairn/sdk";
import { inMemoryTelemetry } from "./telemetry.js";
import { createTelemetryConsumer } from "./workflow.js";

/** The deployable handler, on an in-memory store: `cairn run examples/dist/kinesis-telemetry/handler.js --input '{"Records":[...]}'`. */
export const handler = withDurableExecution(createTelemetryConsumer(inMemoryTelemetry().store));
