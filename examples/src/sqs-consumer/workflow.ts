import { createRetryStrategy, JitterStrategy, processSqsBatch, type DurableContext, type SqsBatchResponse, type SqsEvent } from "@cairn/sdk";
import { RejectedEntry, type Ledger, type LedgerEntry } from "./ledger.js";

const transientRetry = createRetryStrategy({
  maxAttempts: 3,
  initialDelay: { seconds: 2 },
  jitter: JitterStrategy.NONE,
  // A frozen account will not thaw by retrying: fail the message at once.
  retryableErrors: [/timeout|throttl/i],
});

/**
 * An SQS consumer with a partial-batch response: each record is one durable item, a record that
 * fails (after retries) is reported for redelivery, and the rest are acknowledged. On a FIFO queue
 * the records of one message group are applied in order, and after a failure the group's later
 * records are reported too, so the queue redelivers them in order.
 */
export function createLedgerConsumer(ledger: Ledger) {
  return async (event: SqsEvent, ctx: DurableContext): Promise<SqsBatchResponse> =>
    processSqsBatch(
      ctx,
      event,
      (c, record) =>
        c.step("apply", async () => {
          const entry = JSON.parse(record.body) as LedgerEntry;
          if (typeof entry.account !== "string" || !Number.isInteger(entry.amountCents)) {
            throw new RejectedEntry(`message ${record.messageId} is not a ledger entry`);
          }
          return ledger.apply(entry, record.messageId);
        }),
      { maxConcurrency: 5, retryStrategy: transientRetry, itemTimeout: { minutes: 5 } },
    );
}

/** Builds an SQS event as Lambda delivers it (only the fields the consumer reads). */
export function sqsEvent(entries: Array<LedgerEntry & { id: string; group?: string }>, queue = "ledger"): SqsEvent {
  return {
    Records: entries.map(({ id, group, ...entry }) => ({
      messageId: id,
      body: JSON.stringify(entry),
      attributes: group === undefined ? {} : { MessageGroupId: group },
      eventSourceARN: `arn:aws:sqs:eu-west-1:123456789012:${queue}`,
    })),
  };
}
