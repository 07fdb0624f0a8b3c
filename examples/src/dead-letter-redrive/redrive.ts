import { defineDistributedMap, withDurableExecution, type DistributedMapResult, type DurableContext, type RetryStrategy } from "@cairn/sdk";
import { JsonLinesFailedItemWriter } from "@cairn/sdk/service";
import { deadLetterExportSource, type ExportCursor, type ExportSourceOptions } from "./export-source.js";
import type { DeadLetterMessage } from "./messages.js";
import { orderService, PoisonMessageError, upgradeLegacyBody } from "./target.js";

/**
 * Re-drives a dead-letter export (`files`), or with `mode: "poison"` re-drives only the messages
 * an earlier run could not deliver, with the fix for their bodies applied.
 */
export type RedriveEvent =
  | {
      mode?: "export";
      /** The export's JSON-lines files, in order. */
      files: string[];
      /** Messages per page. Default 100. */
      pageSize?: number;
      /** Children (each a run of whole files). Default 4. */
      partitions?: number;
      /** The function the children run in (default: this function's own name). */
      functionName?: string;
    }
  | {
      mode: "poison";
      /** The earlier run's `runId`. */
      runId: string;
      functionName?: string;
    };

/**
 * Where the undeliverable messages are written: `DEAD_LETTER_FAILURES_DIR`, default
 * ".cairn/dead-letter-failures". Read when a child writes or reads, not at import, so the
 * configuration may come after the module loads.
 */
export function poisonMessages(): JsonLinesFailedItemWriter {
  return new JsonLinesFailedItemWriter(process.env.DEAD_LETTER_FAILURES_DIR ?? ".cairn/dead-letter-failures");
}

/** Every page the export source read, in order: where it started and its bytes (what a metric would count; tests read it). */
export const pageReads: { cursor: ExportCursor; bytesRead: number }[] = [];

/** A poison message fails at once; a busy or unreachable target is retried twice. */
const retryUnlessPoison: RetryStrategy = (error, attempt) => ({ shouldRetry: !(error instanceof PoisonMessageError) && attempt < 3, delay: { seconds: 2 } });

/**
 * Sends one message as an at-least-once step. A step that runs again after a crash sends again,
 * under the same idempotency key (the message id), so the target applies it once.
 */
function deliver(ctx: DurableContext, message: DeadLetterMessage, body: string): Promise<{ repeated: boolean }> {
  return ctx.step("deliver", () => orderService.send(message.messageId, body), { retryStrategy: retryUnlessPoison });
}

/**
 * The export's processing half, at module scope so children find it by name. Failed messages are
 * recorded whole (no `itemId`: a message is small), so the poison redrive reads them straight
 * from the writer's files.
 */
export const deadLetterRedrive = defineDistributedMap("dead-letter-redrive", {
  source: (params: Pick<ExportSourceOptions, "files" | "pageSize">) => deadLetterExportSource({ ...params, onRead: (read) => pageReads.push(read) }),
  itemHandler: (message: DeadLetterMessage, ctx) => deliver(ctx, message, message.body),
  maxConcurrency: 10,
  failedItemWriter: { write: (batch) => poisonMessages().write(batch) },
});

/** The poison messages of an earlier run, with their bodies upgraded from the legacy format. */
export const poisonRedrive = defineDistributedMap("dead-letter-poison-redrive", {
  source: (params: { runId: string }) => poisonMessages().source<DeadLetterMessage>(params.runId),
  itemHandler: (message: DeadLetterMessage, ctx) => deliver(ctx, message, upgradeLegacyBody(message.body)),
  maxConcurrency: 10,
  failedItemWriter: { write: (batch) => poisonMessages().write(batch) },
});

/** The redrive: every message delivered or recorded as poison; a malformed export line fails its child. */
export const handler = withDurableExecution(async (event: RedriveEvent, ctx): Promise<DistributedMapResult> => {
  const functionName = event.functionName === undefined ? {} : { functionName: event.functionName };
  // Poison messages are expected in a dead-letter queue: report them all, stop for nothing else.
  const completionConfig = { toleratedFailurePercentage: 100 };
  if (event.mode === "poison") {
    return ctx.distributedMap(poisonRedrive, { params: { runId: event.runId }, partitions: 2, completionConfig, maxFailedItems: 20, ...functionName });
  }
  return ctx.distributedMap(deadLetterRedrive, {
    params: { files: event.files, pageSize: event.pageSize ?? 100 },
    partitions: event.partitions ?? 4,
    maxChildExecutions: 4,
    completionConfig,
    maxFailedItems: 20,
    ...functionName,
  });
});
